package engine

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// One actor call as the kernel makes it (fvm-abi.md §5.1): load the code
// once, then per invocation a fresh instance, the gas global set to the
// available milligas, invoke, read back what wasm used, close.
func Example() {
	ctx := context.Background()
	e, err := New(ctx, WithHostModules(func(ctx context.Context, r wazero.Runtime, v Variant) error {
		// The syscalls package registers its host modules here.
		_, err := r.NewHostModuleBuilder("debug").NewFunctionBuilder().
			WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
				stack[0] = 0 // debug.enabled: no
			}), nil, []api.ValueType{api.ValueTypeI32}).Export("enabled").
			Instantiate(ctx)
		return err
	}))
	if err != nil {
		panic(err)
	}
	defer e.Close(ctx)

	wasm := actorShape(false, 4) // a raw actor module, as a bundle ships it
	code := rawCid(nil, wasm)
	m, err := e.Load(ctx, code, wasm, V3)
	if err != nil {
		panic(err)
	}
	fmt.Println("wasm_memory_init bytes:", m.MinMemoryBytes())

	budget := NewMemoryBudget(V3) // one per message
	in, err := e.Instantiate(ctx, m, budget)
	if err != nil {
		panic(err)
	}
	defer in.Close(ctx)
	const available = 10_000_000 // milligas
	in.GasGlobal().Set(available)
	ret, err := in.Invoke(ctx, 5)
	if err != nil {
		panic(err)
	}
	used := available - int64(in.GasGlobal().Get())
	fmt.Println("returned block:", ret, "gas used:", used > 0)
	// Output:
	// wasm_memory_init bytes: 1114112
	// returned block: 6 gas used: true
}
