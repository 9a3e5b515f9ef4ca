// Package engine owns the wazero runtime and its feature set, the module
// cache keyed by code CID and network-version variant, pooled linear
// memories, and the instrumentation pass (stack limiter, gas metering, NaN
// canonicalisation) in the forms of FVM v2 and of FVM v3/v4 (fvm-gas.md
// §3–§4, fvm-gas-next.md §6). It knows nothing of what the syscalls mean.
//
// Life of an actor call (fvm-abi.md §5.1):
//
//	e, _ := engine.New(ctx, engine.WithHostModules(registerSyscalls))
//	m, _ := e.Load(ctx, code, wasm, engine.V3)   // once per process
//	// v3, v4: charge wasm_table_init / wasm_memory_init from m.TableExport()
//	// and m.MinMemoryBytes() first.
//	in, err := e.Instantiate(ctx, m, budget)        // budget: one per message
//	in.GasGlobal().Set(available milligas)
//	ret, err := in.Invoke(ctx, paramsBlockID)
//	in.Close(ctx)
//
// Every invocation gets a fresh instance, so instantiation is the hot path:
// instances are anonymous, linear memories come from a pool and are zeroed
// only up to the size they reached, and a background goroutine keeps a
// ready instance of each hot module (WithPrewarm).
package engine
