package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/kernel/engine/instrument"
)

// testActorsBundles writes gofvm's own test-actor bundles (nv17 and nv18)
// under dir and returns how many distinct code CIDs they hold and the
// manifest names.
func testActorsBundles(t *testing.T, dir string) (int, []string) {
	t.Helper()
	codes := cid.NewSet()
	var names []string
	for _, nv := range []network.Version{network.Version17, network.Version18} {
		tb, err := testactors.NewBundle(nv)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("nv%d", nv), "bundle.car")
		writeFile(t, p, tb.CAR())
		ms, err := actors.LoadBundleFile(context.Background(), p, func(blocks.Block) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			for _, e := range m.Entries {
				codes.Add(e.Code)
				names = append(names, e.Name)
			}
		}
	}
	return codes.Len(), names
}

// The actors command on the test actors' bundles: one row per manifest
// entry (the manifest as package actors reads it, not the command), a count
// of distinct code CIDs (the two bundles share some actors), the
// nv17 bundle told by its v2 imports (vm.abort) and the nv18 one by its v3
// imports.
func TestActorsTestActorBundles(t *testing.T) {
	dir := t.TempDir()
	want, names := testActorsBundles(t, dir)
	code, stdout, stderr := runCLI("actors", "--cache", "", "--bundles", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if got := lastLine(stdout); got != fmt.Sprintf("%d actors compiled", want) {
		t.Errorf("last line %q, want %d actors compiled", got, want)
	}
	for _, n := range names {
		if !strings.Contains(stdout, "  "+n+" ") {
			t.Errorf("no row for %q", n)
		}
	}
	for _, h := range []string{"v2 ABI, nv16–17 (by its imports)", "v3 ABI, nv18–20 (by its imports)"} {
		if !strings.Contains(stdout, h) {
			t.Errorf("no header with %q:\n%s", h, stdout)
		}
	}
}

// --nv compiles every bundle for one line, and must name a version gofvm
// runs.
func TestActorsNVOverride(t *testing.T) {
	dir := t.TempDir()
	want, _ := testActorsBundles(t, dir)
	code, stdout, stderr := runCLI("actors", "--cache", "", "--nv", "21", "--bundles", filepath.Join(dir, "nv18"))
	if code != 0 || !strings.Contains(stdout, "v4 ABI, nv21–28 (from --nv)") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, fmt.Sprintf("%d actors compiled", want)) {
		t.Errorf("the nv17 bundle was not asked for:\n%s", stdout)
	}
	code, _, stderr = runCLI("actors", "--nv", "15", "--bundles", dir)
	if code != exitUsage || !strings.Contains(stderr, "--nv") {
		t.Errorf("--nv 15: exit %d, stderr %q", code, stderr)
	}
}

// A bundle whose code is not wasm (vectortest's fake bundle) fails to
// compile: exit 1, every actor listed as FAILED.
func TestActorsCompileFailure(t *testing.T) {
	f := newFixture(t)
	code, stdout, _ := runCLI("actors", "--cache", "", "--nv", "18", "--bundles", f.bundle)
	if code != 1 || !strings.Contains(stdout, "FAILED") || !strings.Contains(stdout, "0 actors compiled") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
}

// importing builds a module that imports one function per entry of imps
// ("module.name" and its parameter types; every import returns i32).
func importing(imps map[string][]instrument.ValType) []byte {
	m := &instrument.Module{}
	for full, params := range imps {
		mod, name, _ := strings.Cut(full, ".")
		m.Types = append(m.Types, instrument.FuncType{Params: params, Results: []instrument.ValType{instrument.I32}})
		m.Imports = append(m.Imports, instrument.Import{Module: mod, Name: name, Kind: instrument.KindFunc, TypeIdx: uint32(len(m.Types) - 1)})
	}
	return m.Encode()
}

// bundleLine reads the line from the import types of fvm-abi.md §3.1 and
// fvm-abi-next.md §3.1, across all modules of a bundle.
func TestBundleLine(t *testing.T) {
	var (
		abort      = map[string][]instrument.ValType{"vm.abort": {i32, i32, i32}}
		exit       = map[string][]instrument.ValType{"vm.exit": {i32, i32, i32, i32}}
		oldRand    = map[string][]instrument.ValType{"rand.get_chain_randomness": {i32, i64, i64, i32, i32}}
		newRand    = map[string][]instrument.ValType{"rand.get_beacon_randomness": {i32, i64}}
		event2     = map[string][]instrument.ValType{"event.emit_event": {i32, i32}}
		event6     = map[string][]instrument.ValType{"event.emit_event": {i32, i32, i32, i32, i32, i32}}
		burn       = map[string][]instrument.ValType{"self.self_destruct": {i32}}
		event3     = map[string][]instrument.ValType{"event.emit_event": {i32, i32, i32}}
		unrelated  = map[string][]instrument.ValType{"ipld.block_open": {i32, i32}}
		nothingNew = map[string][]instrument.ValType{}
	)
	cases := []struct {
		name    string
		modules []map[string][]instrument.ValType
		want    engine.Variant
		note    string // "" = decided
		err     bool
	}{
		{"v2 abort", []map[string][]instrument.ValType{abort, oldRand}, engine.V2, "", false},
		{"v3 two-argument event", []map[string][]instrument.ValType{exit, event2}, engine.V3, "", false},
		{"v3 exit and old randomness", []map[string][]instrument.ValType{exit, oldRand}, engine.V3, "", false},
		{"v4 six-argument event", []map[string][]instrument.ValType{exit, unrelated, event6}, engine.V4, "", false},
		{"v4 randomness by epoch", []map[string][]instrument.ValType{newRand}, engine.V4, "", false},
		{"v4 burn flag", []map[string][]instrument.ValType{burn, exit}, engine.V4, "", false},
		{"v3 or v4", []map[string][]instrument.ValType{exit, unrelated}, engine.V3, "oldest", false},
		{"no marker", []map[string][]instrument.ValType{nothingNew, unrelated}, engine.V2, "oldest", false},
		{"abort with six-argument event", []map[string][]instrument.ValType{abort, event6}, 0, "", true},
		{"unknown emit_event type", []map[string][]instrument.ValType{event3}, 0, "", true},
	}
	for _, c := range cases {
		var codes []engine.Code
		for _, imps := range c.modules {
			codes = append(codes, engine.Code{Wasm: importing(imps)})
		}
		v, note, err := bundleLine(codes)
		switch {
		case c.err:
			if err == nil {
				t.Errorf("%s: chose %v, want an error", c.name, v)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case v != c.want:
			t.Errorf("%s: %v, want %v", c.name, v, c.want)
		case c.note != "" && !strings.Contains(note, c.note), c.note == "" && note != "by its imports":
			t.Errorf("%s: note %q", c.name, note)
		}
	}
}

// Every mainnet bundle v8–v18 (fvm-abi-next.md §10): 167 manifest entries,
// 159 distinct code CIDs (the placeholder is shared by v10–v18), each
// compiled for the line its imports name. Opt-in: it compiles 159 actors.
func TestActorsMainnetBundles(t *testing.T) {
	root := os.Getenv("GOFVM_CONFORMANCE")
	if root == "" {
		t.Skip("GOFVM_CONFORMANCE not set")
	}
	args := []string{"actors"}
	for n := 8; n <= 18; n++ {
		p := filepath.Join(root, "bundles", fmt.Sprintf("v%d", n), "builtin-actors-mainnet.car")
		if _, err := os.Stat(p); err != nil {
			t.Skipf("real bundles absent: %v", err)
		}
		args = append(args, "--bundles", p)
	}
	code, stdout, stderr := runCLI(args...)
	if code != 0 || lastLine(stdout) != "159 actors compiled" {
		t.Fatalf("exit %d, last line %q\n%s\n%s", code, lastLine(stdout), stdout, stderr)
	}
	for _, h := range []string{"v2 ABI, nv16–17 (by its imports), 11 actors", "v2 ABI, nv16–17 (by its imports), 12 actors",
		"v3 ABI, nv18–20 (by its imports), 16 actors", "v4 ABI, nv21–28 (by its imports), 16 actors"} {
		if !strings.Contains(stdout, h) {
			t.Errorf("no header with %q", h)
		}
	}
	if n := strings.Count(stdout, "v4 ABI, nv21–28"); n != 7 {
		t.Errorf("%d bundles for the v4 ABI, want 7 (v12–v18)", n)
	}
	if !strings.Contains(stdout, "167 manifest entries, 159 distinct code CIDs") {
		t.Errorf("summary missing:\n%s", stdout)
	}
}
