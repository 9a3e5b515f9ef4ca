package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"os"
	"path/filepath"

	"github.com/gofvm/gofvm/vectors"
)

// recordCached is Record with the result kept in dir (never in the
// repository: recordings are made of public-corpus data). A stale recording
// cannot pass unnoticed: its replay checks every host call's gas and
// arguments against the code that runs it.
func recordCached(ctx context.Context, dir, path string, bundles *vectors.Bundles) (*Recording, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	file := ""
	if dir != "" {
		file = filepath.Join(dir, hex.EncodeToString(sum[:12])+".gob.gz")
		if rec, err := readRecording(file); err == nil {
			return rec, nil
		}
	}
	rec, err := Record(ctx, path, bundles)
	if err != nil || file == "" {
		return rec, err
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := gob.NewEncoder(zw).Encode(rec); err == nil && zw.Close() == nil {
		if os.MkdirAll(dir, 0o755) == nil {
			_ = os.WriteFile(file, buf.Bytes(), 0o644)
		}
	}
	return rec, nil
}

func readRecording(file string) (*Recording, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	rec := &Recording{}
	if err := gob.NewDecoder(zr).Decode(rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// defaultRecordings is where recordings are kept between runs.
func defaultRecordings() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "gofvm", "bench-recordings")
	}
	return ""
}
