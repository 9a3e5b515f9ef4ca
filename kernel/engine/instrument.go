package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/ipfs/go-cid"
)

// instrumentFunc rewrites a raw actor module into the form the engine runs:
// stack limiter then gas metering (fvm-gas.md §3.1), GasExport form (the
// module defines and exports the mutable i64 global `gas_counter`, milligas),
// NaN canonicalisation on.
type instrumentFunc func(wasm []byte, v Variant) ([]byte, error)

// instrumented returns the instrumented form of wasm, from the disk cache when
// one is configured and holds it.
func (e *Engine) instrumented(code cid.Cid, wasm []byte, v Variant) ([]byte, error) {
	path := ""
	if e.cfg.cacheDir != "" && code.Defined() {
		if id := buildID(); id != "" {
			path = filepath.Join(e.cfg.cacheDir, "gofvm-instrumented", id, v.String(), code.String()+".wasm")
			if b, err := os.ReadFile(path); err == nil {
				return b, nil
			}
		}
	}
	out, err := e.cfg.instrument(wasm, v)
	if err != nil {
		return nil, err
	}
	if path != "" {
		writeFileAtomic(path, out) // best effort: a cache, not a source of truth
	}
	return out, nil
}

var (
	buildIDOnce sync.Once
	buildIDVal  string
)

// buildID identifies the running binary (hash of its file), so instrumented
// modules cached on disk are never reused by a binary whose instrumenter may
// differ. Empty when the executable cannot be read: then nothing is cached.
func buildID() string {
	buildIDOnce.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			return
		}
		f, err := os.Open(exe)
		if err != nil {
			return
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return
		}
		buildIDVal = hex.EncodeToString(h.Sum(nil)[:12])
	})
	return buildIDVal
}

func writeFileAtomic(path string, b []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), path) != nil {
		_ = os.Remove(f.Name())
	}
}
