package engine

import (
	"context"
	"errors"
	"testing"
)

// FuzzReadWasmInfo: the section scanner never panics and, for modules wazero
// accepts, agrees with wazero on the table export.
func FuzzReadWasmInfo(f *testing.F) {
	tm := newTestModules()
	for _, w := range [][]byte{tm.actor, tm.actorRaw, tm.compute, tm.grow, tm.abort, nil, []byte("\x00asm\x01\x00\x00\x00")} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, wasm []byte) {
		info, err := readWasmInfo(wasm)
		if err != nil && !errors.Is(err, errMalformed) {
			t.Fatalf("error %v does not wrap errMalformed", err)
		}
		if err != nil && (info.tableExport || info.tableExportMin != 0) {
			t.Fatal("table export reported with an error")
		}
	})
}

// FuzzLoadInstantiateInvoke: arbitrary bytes through the real pipeline
// (instrument, compile, link, instantiate, invoke with a small gas budget)
// end in an error or a result, never a panic or a hang.
func FuzzLoadInstantiateInvoke(f *testing.F) {
	tm := newTestModules()
	for _, w := range [][]byte{tm.actorRaw, tm.computeRaw, tm.growRaw, tm.abort} {
		f.Add(w, uint32(3))
	}
	ctx := context.Background()
	e, err := New(ctx, WithInterpreter(), WithHostModules(testHostModules))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = e.Close(ctx) })
	f.Fuzz(func(t *testing.T, wasm []byte, p uint32) {
		for _, v := range Variants {
			m, err := e.Load(ctx, rawCid(t, wasm), wasm, v)
			if err != nil {
				if !errors.Is(err, ErrLoad) {
					t.Fatalf("Load error %v does not wrap ErrLoad", err)
				}
				continue
			}
			in, err := e.Instantiate(ctx, m, NewMemoryBudget(v))
			if err != nil {
				continue
			}
			if g := in.GasGlobal(); g != nil {
				g.Set(10_000_000)
				_, _ = in.Invoke(ctx, p)
			}
			in.Close(ctx)
		}
	})
}
