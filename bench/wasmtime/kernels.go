package main

//go:generate sh kernels/gen.sh

import (
	"context"
	"embed"
	"fmt"

	"github.com/bytecodealliance/wasmtime-go/v35"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/engine"
)

//go:embed kernels/*.wasm
var kernelFiles embed.FS

// A kernel is a small compute module (kernels/*.wat) run with invoke(N):
// no syscalls, so what it measures is the engines' code and the metering.
type computeKernel struct {
	name string
	n    uint32 // the argument of a measured run
	// want is the result invoke(n) must return, computed in Go (the
	// kernels' WAT says what they compute).
	want func(n uint32) uint32
}

var kernels = []computeKernel{
	{"arith", 20_000_000, wantArith},
	{"fib", 34, wantFib},
	{"memscan", 200, wantMemscan},
	{"bulk", 20_000, wantBulk},
	{"float", 200_000, wantFloat},
	{"dispatch", 20_000_000, wantDispatch},
	{"indirect", 20_000_000, wantIndirect},
	{"hostcall", 2_000_000, func(n uint32) uint32 { return n }},
}

func kernelWasm(name string) ([]byte, error) {
	return kernelFiles.ReadFile("kernels/" + name + ".wasm")
}

// kernelCID names a kernel's code for gofvm's module cache.
func kernelCID(wasm []byte) cid.Cid {
	c, _ := cid.NewPrefixV1(cid.Raw, multihash.SHA2_256).Sum(wasm)
	return c
}

// registerKernelHost binds bench.host, the hostcall kernel's import: x+1,
// the gas counter untouched.
func registerKernelHost(ctx context.Context, r wazero.Runtime) error {
	_, err := r.NewHostModuleBuilder("bench").NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, stack []uint64) {
			stack[0] = uint64(uint32(stack[0]) + 1)
		}), []api.ValueType{api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		Export("host").Instantiate(ctx)
	return err
}

func (s *wasmtimeSide) linkKernelHost(l *wasmtime.Linker) error {
	i32 := wasmtime.NewValType(wasmtime.KindI32)
	ft := wasmtime.NewFuncType([]*wasmtime.ValType{i32}, []*wasmtime.ValType{i32})
	return l.FuncNew("bench", "host", ft, func(_ *wasmtime.Caller, a []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
		return []wasmtime.Val{wasmtime.ValI32(a[0].I32() + 1)}, nil
	})
}

// kernelGas is what a kernel run starts with: far more than any uses.
const kernelGas = int64(1) << 62

// runGofvm instantiates a kernel in gofvm's engine, runs invoke(n), and
// returns the result and the gas it used.
func (s *gofvmSide) runKernel(ctx context.Context, m *engine.Module, n uint32) (uint32, int64, error) {
	in, err := s.eng.Instantiate(ctx, m, engine.NewMemoryBudget(m.Variant()))
	if err != nil {
		return 0, 0, err
	}
	defer in.Close(ctx)
	in.GasGlobal().Set(uint64(kernelGas))
	res, err := in.Invoke(ctx, n)
	if err != nil {
		return 0, 0, err
	}
	return res, kernelGas - int64(in.GasGlobal().Get()), nil
}

func (s *wasmtimeSide) runKernel(m *wtModule, n uint32) (uint32, int64, error) {
	inst, err := s.instantiate(m, kernelGas)
	if err != nil {
		return 0, 0, err
	}
	defer s.release()
	res, err := inst.GetFunc(s.store, "invoke").Call(s.store, int32(n))
	if err != nil {
		return 0, 0, err
	}
	return uint32(res.(int32)), kernelGas - s.gas.Get(s.store).I64(), nil
}

// loadKernel compiles a kernel on both sides (FVM v3 instrumentation).
func loadKernel(ctx context.Context, g *gofvmSide, w *wasmtimeSide, name string) (*engine.Module, *wtModule, error) {
	wasm, err := kernelWasm(name)
	if err != nil {
		return nil, nil, err
	}
	gm, err := g.eng.Load(ctx, kernelCID(wasm), wasm, engine.V3)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: gofvm: %w", name, err)
	}
	wm, err := w.compile(wasm, engine.V3)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: wasmtime: %w", name, err)
	}
	return gm, wm, nil
}
