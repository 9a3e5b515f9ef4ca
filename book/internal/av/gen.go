//go:build ignore

// gen writes zz_vN.go for every actors version from the *.tmpl templates:
// the same code, compiled against that version's go-state-types packages.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"os"
	"text/template"
)

const first, last = 8, 18

func main() {
	t := template.Must(template.ParseGlob("*.tmpl"))
	for v := first; v <= last; v++ {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, "file", struct{ V int }{v}); err != nil {
			log.Fatal(err)
		}
		src, err := format.Source(b.Bytes())
		if err != nil {
			os.WriteFile(fmt.Sprintf("zz_v%d.go.broken", v), b.Bytes(), 0o644)
			log.Fatalf("v%d: %v", v, err)
		}
		if err := os.WriteFile(fmt.Sprintf("zz_v%d.go", v), src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
