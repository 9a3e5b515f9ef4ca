package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/vectors"
)

// The recorded invocations: the heavy nv18 miner messages of the public
// corpus (conformance.md), and a light one the tests use.
const (
	vectorDir = "vectors/0002-hygge-01/fil_10_storageminer/"
	eseHeavy  = vectorDir + "ExtendSectorExpiration/Ok/ext-0002-fil_10_storageminer-ExtendSectorExpiration-Ok-4.json"
	eseLight  = vectorDir + "ExtendSectorExpiration/Ok/ext-0002-fil_10_storageminer-ExtendSectorExpiration-Ok-10.json"
	dwpost    = vectorDir + "DisputeWindowedPoSt/Ok/ext-0002-fil_10_storageminer-DisputeWindowedPoSt-Ok-1.json"
	nv18CAR   = "bundles/v10/builtin-actors-mainnet.car"
)

// firstCallActors are the actors whose instantiate + first call is
// measured, by manifest name.
var firstCallActors = []string{"storageminer", "storagemarket", "storagepower", "evm"}

type bench struct {
	conf   string
	cache  string // recordings kept between runs ("" = none)
	rounds int
	out    *os.File

	g *gofvmSide
	w *wasmtimeSide

	bundles *vectors.Bundles // nv18's, nil without the real data
}

func (b *bench) setup(ctx context.Context) error {
	var err error
	if b.g, err = newGofvmSide(ctx); err != nil {
		return err
	}
	if b.w, err = newWasmtimeSide(); err != nil {
		return err
	}
	if b.conf != "" {
		if _, err := os.Stat(filepath.Join(b.conf, nv18CAR)); err == nil {
			if b.bundles, err = vectors.LoadBundles(filepath.Join(b.conf, nv18CAR)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *bench) close() {
	b.g.close()
	b.w.close()
}

var errNoData = errors.New("skipped: no real data (set -conformance or GOFVM_CONFORMANCE)")

func (b *bench) kernels(ctx context.Context) ([]*pair, error) {
	var out []*pair
	for _, k := range kernels {
		gm, wm, err := loadKernel(ctx, b.g, b.w, k.name)
		if err != nil {
			return nil, err
		}
		check := func(res uint32, gas int64, err error, gasRef *int64) error {
			if err != nil {
				return err
			}
			if want := k.want(k.n); res != want {
				return fmt.Errorf("invoke(%d) = %d, want %d", k.n, res, want)
			}
			if *gasRef == 0 {
				*gasRef = gas
			} else if gas != *gasRef {
				return fmt.Errorf("gas used %d, the other engine %d", gas, *gasRef)
			}
			return nil
		}
		var gas int64
		p := sideBySide(k.name, b.rounds,
			func() error { r, g, err := b.g.runKernel(ctx, gm, k.n); return check(r, g, err, &gas) },
			func() error { r, g, err := b.w.runKernel(wm, k.n); return check(r, g, err, &gas) })
		p.note = fmt.Sprintf("invoke(%d), %d gas each", k.n, gas/1000)
		if k.name == "hostcall" && p.failed == nil {
			p.note += fmt.Sprintf("; per host call: gofvm %s, wasmtime-go %s",
				round(median(p.g, true)/time.Duration(k.n)), round(median(p.w, true)/time.Duration(k.n)))
		}
		out = append(out, p)
	}
	return out, nil
}

// recorded runs a vector under gofvm with the recorder attached.
func (b *bench) recorded(ctx context.Context, rel string) (*Recording, error) {
	if b.bundles == nil {
		return nil, errNoData
	}
	return recordCached(ctx, b.cache, filepath.Join(b.conf, rel), b.bundles)
}

// replayer loads a recording's modules on both sides and returns one full
// replay per side.
func (b *bench) replayer(ctx context.Context, rec *Recording) (g, w func() error, err error) {
	gms := map[cid.Cid]*engine.Module{}
	wms := map[cid.Cid]*wtModule{}
	for _, inv := range rec.Invocations {
		if _, ok := gms[inv.Code]; ok {
			continue
		}
		if gms[inv.Code], err = b.g.load(ctx, inv); err != nil {
			return nil, nil, err
		}
		if wms[inv.Code], err = b.w.compile(inv.Wasm, inv.Variant); err != nil {
			return nil, nil, err
		}
	}
	g = func() error {
		for i, inv := range rec.Invocations {
			if err := b.g.replay(ctx, gms[inv.Code], inv); err != nil {
				return fmt.Errorf("invocation %d: %w", i, err)
			}
		}
		return nil
	}
	w = func() error {
		for i, inv := range rec.Invocations {
			if err := b.w.replay(wms[inv.Code], inv); err != nil {
				return fmt.Errorf("invocation %d: %w", i, err)
			}
		}
		return nil
	}
	return g, w, nil
}

func (b *bench) replays(ctx context.Context) ([]*pair, error) {
	var out []*pair
	for _, v := range []struct{ name, path string }{
		{"ExtendSectorExpiration/Ok-4 (nv18)", eseHeavy},
		{"DisputeWindowedPoSt/Ok-1 (nv18)", dwpost},
	} {
		rec, err := b.recorded(ctx, v.path)
		if err != nil {
			return nil, err
		}
		g, w, err := b.replayer(ctx, rec)
		if err != nil {
			return nil, err
		}
		p := sideBySide(v.name, b.rounds, g, w)
		p.note = fmt.Sprintf("%d invocations, %d host calls, %d gas used by the message", len(rec.Invocations), rec.hostCalls(), rec.GasUsed)
		if !rec.Matches {
			p.note += " (trusted proofs: not the vector's receipt)"
		}
		out = append(out, p)
	}
	return out, nil
}

// actorCode finds an actor's code in the nv18 bundle's manifest.
func (b *bench) actorCode(ctx context.Context, name string) (*Invocation, error) {
	for _, m := range b.bundles.Manifests {
		for _, e := range m.Entries {
			if e.Name != name {
				continue
			}
			blk, err := b.bundles.Blockstore().Get(ctx, e.Code)
			if err != nil {
				return nil, err
			}
			return &Invocation{Code: e.Code, Wasm: blk.RawData(), Variant: engine.V3}, nil
		}
	}
	return nil, fmt.Errorf("no %s actor in the nv18 bundle", name)
}

// instantiates measures instantiate + invoke up to and through the first
// syscall, which ends the call as an actor's exit does (both engines then
// unwind: gofvm by a Go panic, wasmtime by a host trap).
func (b *bench) instantiates(ctx context.Context) ([]*pair, error) {
	if b.bundles == nil {
		return nil, errNoData
	}
	const perRun = 200
	var out []*pair
	for _, name := range firstCallActors {
		inv, err := b.actorCode(ctx, name)
		if err != nil {
			return nil, err
		}
		inv.GasStart = 10_000_000_000 * 1000
		gm, err := b.g.load(ctx, inv)
		if err != nil {
			return nil, err
		}
		wm, err := b.w.compile(inv.Wasm, inv.Variant)
		if err != nil {
			return nil, err
		}
		p := sideBySide(name, b.rounds,
			func() error {
				for i := 0; i < perRun; i++ {
					if err := b.g.firstCall(ctx, gm, inv); err != nil {
						return err
					}
				}
				return nil
			},
			func() error {
				for i := 0; i < perRun; i++ {
					if err := b.w.firstCall(wm, inv); err != nil {
						return err
					}
				}
				return nil
			})
		p.per, p.unit = perRun, "instances"
		p.note = fmt.Sprintf("%d instances per run", perRun)
		out = append(out, p)
	}
	return out, nil
}

func (b *bench) compiles(ctx context.Context) ([]*pair, error) {
	if b.bundles == nil {
		return nil, errNoData
	}
	var out []*pair
	for _, name := range firstCallActors {
		inv, err := b.actorCode(ctx, name)
		if err != nil {
			return nil, err
		}
		p := sideBySide(name, b.rounds,
			func() error {
				g, err := newGofvmSide(ctx)
				if err != nil {
					return err
				}
				defer g.close()
				_, err = g.load(ctx, inv)
				return err
			},
			func() error {
				m, err := b.w.compile(inv.Wasm, inv.Variant)
				if err == nil {
					m.m.Close()
				}
				return err
			})
		p.note = fmt.Sprintf("%d KB of wasm; instrumentation (Go) included on both sides", len(inv.Wasm)/1000)
		out = append(out, p)
	}
	return out, nil
}
