package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/syscalls"
)

// gofvmSide runs modules in gofvm's engine exactly as the kernel does
// (kernel/engine: its instrumentation, its memory pool and budget, its
// instance lifecycle), with host modules that play recordings back in place
// of the syscalls.
type gofvmSide struct {
	eng *engine.Engine
	cur cursor
}

type cursorKey struct{}

// networkOf is a network version of each variant, whose imports the replay
// host modules provide.
var networkOf = map[engine.Variant]network.Version{engine.V2: 17, engine.V3: 18, engine.V4: 21}

func newGofvmSide(ctx context.Context, opts ...engine.Option) (*gofvmSide, error) {
	s := &gofvmSide{}
	opts = append([]engine.Option{engine.WithPrewarm(0)}, opts...)
	opts = append(opts, engine.WithHostModules(func(ctx context.Context, r wazero.Runtime, v engine.Variant) error {
		return registerReplayHost(ctx, r, v)
	}))
	eng, err := engine.New(ctx, opts...)
	if err != nil {
		return nil, err
	}
	s.eng = eng
	return s, nil
}

func (s *gofvmSide) close() { _ = s.eng.Close(context.Background()) }

// registerReplayHost binds every import of the variant's ABI (and the
// kernels' "bench" module) to a function that plays the current recording
// back.
func registerReplayHost(ctx context.Context, r wazero.Runtime, v engine.Variant) error {
	ims, err := syscalls.Imports(networkOf[v])
	if err != nil {
		// A line this build does not run yet: no replay host for it.
		return nil
	}
	byModule := map[string]wazero.HostModuleBuilder{}
	var order []string
	for _, im := range ims {
		b, ok := byModule[im.Module]
		if !ok {
			b = r.NewHostModuleBuilder(im.Module)
			byModule[im.Module] = b
			order = append(order, im.Module)
		}
		b.NewFunctionBuilder().
			WithGoModuleFunction(replayFunc(im.Module, im.Name, im.Params), im.Params, []api.ValueType{api.ValueTypeI32}).
			Export(im.Name)
	}
	for _, m := range order {
		if _, err := byModule[m].Instantiate(ctx); err != nil {
			return err
		}
	}
	return registerKernelHost(ctx, r)
}

// live is what a replaying host function needs, carried in the call's
// context as gofvm's syscalls carry their invocation (one lookup per call).
type live struct {
	cur *cursor
	gas api.MutableGlobal
}

func replayFunc(module, name string, types []api.ValueType) api.GoModuleFunc {
	var buf []uint64
	return func(ctx context.Context, mod api.Module, stack []uint64) {
		l := ctx.Value(cursorKey{}).(*live)
		cur, gas := l.cur, l.gas
		buf = args(types, stack, buf)
		h := cur.call(module, name, buf, int64(gas.Get()))
		if h == nil {
			panic(cur.err)
		}
		mem := mod.Memory()
		for _, w := range h.Writes {
			if !mem.Write(w.Offset, w.Data) {
				cur.err = fmt.Errorf("host call %s: write at %d out of bounds", h.name(), w.Offset)
				panic(cur.err)
			}
		}
		gas.Set(uint64(h.GasOut))
		if h.Aborted {
			panic(errAborted)
		}
		stack[0] = uint64(h.Result)
	}
}

// load instruments and compiles an actor's code as the kernel would.
func (s *gofvmSide) load(ctx context.Context, inv *Invocation) (*engine.Module, error) {
	return s.eng.Load(ctx, inv.Code, inv.Wasm, inv.Variant)
}

// replay runs one recorded invocation on a fresh instance and checks it.
func (s *gofvmSide) replay(ctx context.Context, m *engine.Module, inv *Invocation) error {
	in, err := s.eng.Instantiate(ctx, m, engine.NewMemoryBudget(inv.Variant))
	if err != nil {
		return err
	}
	defer in.Close(ctx)
	g := in.GasGlobal()
	g.Set(uint64(inv.GasStart))
	s.cur.reset(inv)
	cctx := context.WithValue(ctx, cursorKey{}, &live{cur: &s.cur, gas: g})
	res, callErr := in.Invoke(cctx, inv.Params)
	if callErr != nil && s.cur.err != nil {
		return s.cur.err
	}
	if callErr != nil && !errors.Is(callErr, errAborted) && inv.Returned {
		return fmt.Errorf("invoke: %w", callErr)
	}
	return s.cur.finish(callErr == nil, res, int64(g.Get()), callErr)
}

// firstCall instantiates m, invokes it with no params, and ends the call at
// its first host call.
func (s *gofvmSide) firstCall(ctx context.Context, m *engine.Module, inv *Invocation) error {
	in, err := s.eng.Instantiate(ctx, m, engine.NewMemoryBudget(inv.Variant))
	if err != nil {
		return err
	}
	defer in.Close(ctx)
	g := in.GasGlobal()
	g.Set(uint64(inv.GasStart))
	s.cur.resetAbortAny()
	_, callErr := in.Invoke(context.WithValue(ctx, cursorKey{}, &live{cur: &s.cur, gas: g}), 0)
	if s.cur.err != nil {
		return s.cur.err
	}
	if s.cur.next == 0 || !errors.Is(callErr, errAborted) {
		return fmt.Errorf("invoke did not stop at a host call: %v", callErr)
	}
	return nil
}
