// Package kernel is the FVM proper: the Machine, the Executor that applies
// explicit and implicit messages, the call manager (send, transactions, depth,
// actor creation) and the per-invocation Kernel that implements every
// operation the syscalls expose. It never parses wasm memory: that is the job
// of package syscalls.
//
// A chain client builds one Machine per tipset over its blockstore, applies
// messages through an Executor (or the Lotus-shaped VM interface), and
// flushes:
//
//	eng, _ := kernel.NewWasmEngine(ctx)                // once per process
//	m, _ := kernel.NewMachine(ctx, bs, root, network.Version18,
//		kernel.WithEngine(eng), kernel.WithEpoch(epoch), kernel.WithBaseFee(baseFee),
//		kernel.WithCirculatingSupply(supply), kernel.WithTimestamp(ts),
//		kernel.WithExterns(externs), kernel.WithProofVerifier(verifier))
//	ex := kernel.NewExecutor(m)
//	ret, _ := ex.ApplyMessage(ctx, msg, chainLength)   // receipt + fee split
//	root, _ := m.Flush(ctx)
//
// nv17 follows ref-fvm v2 (fvm@v2.12.1) and nv18 ref-fvm v3 (fvm@v3.1.0);
// the rules, with their sources, are in fvm-abi.md §3.2, §4–§8 and
// fvm-gas.md §1, §2, §5. The kernel builds on package actors (state tree),
// blocks (registry), reachability (FIP-0071 sets, off in compat mode),
// kernel/gas (prices, access tracking, fee split), kernel/crypto and
// kernel/engine with syscalls (wasm).
//
// A message either produces a receipt or an error for the client; an error
// leaves no trace of the message in the state, and the machine stays usable.
package kernel
