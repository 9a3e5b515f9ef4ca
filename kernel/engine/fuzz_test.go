package engine

import (
	"context"
	"errors"
	"testing"

	"github.com/gofvm/gofvm/kernel/engine/instrument"
)

// FuzzReadFacts: reading a module's facts never panics, and fails only with
// the decoder's two error kinds.
func FuzzReadFacts(f *testing.F) {
	tm := newTestModules()
	for _, w := range [][]byte{tm.actor, tm.actorRaw, tm.compute, tm.grow, tm.abort, nil, []byte("\x00asm\x01\x00\x00\x00")} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, wasm []byte) {
		for _, v := range Variants {
			_, err := readFacts(wasm, v)
			if err != nil && !errors.Is(err, instrument.ErrMalformed) && !errors.Is(err, instrument.ErrUnsupported) {
				t.Fatalf("%s: error %v wraps neither ErrMalformed nor ErrUnsupported", v, err)
			}
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
