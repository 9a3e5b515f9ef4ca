package vectors

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// suite holds gofvm's own vectors (vectors/suite/*.json, same schema as the
// public corpus), run by `fvmcheck run` when no path is given.
//
//go:embed suite
var suite embed.FS

// Suite is the embedded default suite's file system.
func Suite() fs.FS { return suite }

// SuitePaths lists the embedded vectors (paths inside Suite), sorted.
func SuitePaths() []string {
	var out []string
	_ = fs.WalkDir(suite, "suite", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(path.Base(p), ".json") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// ReadSuiteFile reads one embedded vector; it fits Config.ReadFile.
func ReadSuiteFile(p string) ([]byte, error) { return suite.ReadFile(p) }
