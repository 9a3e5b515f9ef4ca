package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/gofvm/gofvm/rules"
)

// versionCmd prints what this binary is: the gofvm module and its version
// (a tag when installed with `go install …@vX`, "(devel)" when built from a
// checkout, plus the commit when the build recorded one), the Go toolchain,
// and the network versions the rules table covers.
func versionCmd(e *env, args []string) int {
	fs := newFlagSet("version", "", e.stderr)
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() != 0 {
		return usageError(e, "version", "unexpected argument %q", fs.Arg(0))
	}
	path, version := "github.com/gofvm/gofvm", "(unknown)"
	revision := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path != "" {
			path = bi.Main.Path
		}
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				if s.Value == "true" && revision != "" {
					revision += " (modified)"
				}
			}
		}
	}
	var nvs []string
	for _, nv := range rules.Supported() {
		nvs = append(nvs, fmt.Sprintf("nv%d", nv))
	}
	fmt.Fprintf(e.stdout, "fvmcheck %s\n", version)
	fmt.Fprintf(e.stdout, "module:           %s %s\n", path, version)
	if revision != "" {
		fmt.Fprintf(e.stdout, "commit:           %s\n", revision)
	}
	fmt.Fprintf(e.stdout, "go:               %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(e.stdout, "network versions: %s\n", strings.Join(nvs, " "))
	return exitOK
}
