package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// What every command says the same way: that proofs are trusted, that a
// path is missing, that a flag value is bad. New commands use these rather
// than words of their own.

// noteProofsTrusted says, once, on stderr, that the command runs messages
// with a verifier that accepts every proof. Every command that applies
// messages without real proof verification calls it before it runs any.
func noteProofsTrusted(e *env, cmd string) {
	fmt.Fprintf(e.stderr, "fvmcheck %s: note: proofs are not verified: every seal, PoSt and aggregate proof is taken as valid\n", cmd)
}

// usageError prints "fvmcheck CMD: message" on stderr and returns exit 2.
func usageError(e *env, cmd, format string, a ...any) int {
	fmt.Fprintf(e.stderr, "fvmcheck "+cmd+": "+format+"\n", a...)
	return exitUsage
}

// checkPaths is the one rule for paths named on the command line: each must
// exist (a file or a directory), else the command stops with exit 2 naming
// it. It returns the exit code, or -1 when every path exists.
func checkPaths(e *env, cmd string, paths []string) int {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return usageError(e, cmd, "%s: %v", p, pathErr(err))
		}
	}
	return -1
}

// pathErr strips the *fs.PathError wrapper, whose text repeats the path the
// caller already shows.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// expandStdin replaces a "-" argument by the paths read from stdin, one per
// line (blank lines are skipped; "-" may appear once).
func expandStdin(e *env, cmd string, args []string) ([]string, int) {
	var out []string
	read := false
	for _, a := range args {
		if a != "-" {
			out = append(out, a)
			continue
		}
		if read {
			return nil, usageError(e, cmd, `"-" given twice`)
		}
		read = true
		sc := bufio.NewScanner(e.stdin)
		sc.Buffer(nil, 1<<20)
		n := 0
		for sc.Scan() {
			if p := strings.TrimSpace(sc.Text()); p != "" {
				out = append(out, p)
				n++
			}
		}
		if err := sc.Err(); err != nil {
			return nil, usageError(e, cmd, "reading paths from stdin: %v", err)
		}
		if n == 0 {
			return nil, usageError(e, cmd, `"-": no path on stdin`)
		}
	}
	return out, -1
}

// checkCacheDir makes sure the compilation cache directory can be used
// before anything runs: made if missing, and writable. An unusable --cache
// is one usage error, not one failure per vector.
func checkCacheDir(e *env, cmd, dir string) int {
	if dir == "" {
		return -1
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usageError(e, cmd, "--cache %s: %v", dir, pathErr(err))
	}
	f, err := os.CreateTemp(dir, ".fvmcheck-probe-*")
	if err != nil {
		return usageError(e, cmd, "--cache %s: not writable: %v", dir, pathErr(err))
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return -1
}

func defaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "gofvm")
}

// engineHelp is the --engine flag's help text for every command.
const engineHelp = "wasm engine: compiler, or interpreter (about 35x slower: a check on the compiler, not for everyday runs)"

// createOutput creates (or truncates) path and writes it with write; the
// error names the path once.
func createOutput(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: %v", path, pathErr(err))
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}
