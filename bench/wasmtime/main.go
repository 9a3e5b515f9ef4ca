// Command wasmtime runs gofvm's engine and wasmtime, configured as ref-fvm
// configures it, side by side on the same instrumented modules, and prints
// gofvm's time as a ratio of wasmtime's. See BENCHMARKS.md at the
// repository root for how to run it and what each row measures.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	conf := flag.String("conformance", defaultConformance(), "the real data: bundles/ and vectors/ (rows that need it are skipped without it)")
	rounds := flag.Int("rounds", 5, "measured runs of each side per row (alternating)")
	cache := flag.String("recordings", defaultRecordings(), "directory keeping host-call recordings between runs (\"\": record every run)")
	only := flag.String("only", "", "comma-separated sections: compile,instantiate,kernels,replay (default all)")
	flag.Parse()
	want := map[string]bool{}
	for _, s := range strings.Split(*only, ",") {
		if s != "" {
			want[s] = true
		}
	}
	all := len(want) == 0
	b := &bench{conf: *conf, cache: *cache, rounds: *rounds, out: os.Stdout}
	if err := b.setup(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "wasmtime:", err)
		os.Exit(1)
	}
	defer b.close()
	fmt.Printf("gofvm engine vs wasmtime (ref-fvm 4.8.2 configuration), %s, GOMAXPROCS %d, %d rounds\n",
		time.Now().UTC().Format("2006-01-02"), runtime.GOMAXPROCS(0), *rounds)
	fmt.Println("ratio = gofvm median CPU time / wasmtime median CPU time (process CPU, both sides in one process, runs alternating)")
	fmt.Println()
	failed := false
	for _, sec := range []struct {
		name string
		run  func(context.Context) ([]*pair, error)
	}{
		{"kernels", b.kernels},
		{"replay", b.replays},
		{"instantiate", b.instantiates},
		{"compile", b.compiles},
	} {
		if !all && !want[sec.name] {
			continue
		}
		ps, err := sec.run(context.Background())
		if err != nil {
			fmt.Printf("## %s: %v\n\n", sec.name, err)
			continue
		}
		if printTable(os.Stdout, sec.name, ps) {
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

// defaultConformance is the repository's .conformance, found from the
// working directory (bench/wasmtime or the repository root).
func defaultConformance() string {
	if d := os.Getenv("GOFVM_CONFORMANCE"); d != "" {
		return d
	}
	for _, p := range []string{".conformance", "../../.conformance"} {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			abs, _ := filepath.Abs(p)
			return abs
		}
	}
	return ""
}

func printTable(w io.Writer, section string, ps []*pair) (failed bool) {
	fmt.Fprintf(w, "## %s\n\n", section)
	fmt.Fprintln(w, "| row | gofvm CPU | wasmtime CPU | ratio (CPU) | ratio (wall) | note |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|")
	for _, p := range ps {
		if p.failed != nil {
			fmt.Fprintf(w, "| %s | — | — | — | — | FAILED: %v |\n", p.name, p.failed)
			failed = true
			continue
		}
		g, wt := median(p.g, true), median(p.w, true)
		note := p.note
		if p.per > 0 {
			note = strings.TrimPrefix(note+fmt.Sprintf("; %s/CPU-s: gofvm %.0f, wasmtime %.0f", p.unit,
				float64(p.per)/g.Seconds(), float64(p.per)/wt.Seconds()), "; ")
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.2f× | %.2f× | %s |\n", p.name, round(g), round(wt), p.ratio(), p.wallRatio(), note)
	}
	fmt.Fprintln(w)
	return failed
}

func round(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(100 * time.Nanosecond).String()
}
