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
// What each network version does is data: the machine holds the version's
// rules.Rules and every behaviour reads a named field of it (package rules,
// which cites the sheets). nv16–17 run the FVM v2 line (fvm@v2.12.1), nv18–20
// the v3 line and nv21–28 the v4 line as Lotus runs them today (fvm@v3.14.1,
// fvm@v4.8.2). The rules' sources are
// fvm-abi.md §3.2, §4–§8, fvm-gas.md §1, §2, §5 and their deltas in
// fvm-abi-next.md and fvm-gas-next.md. The kernel builds on package actors (state tree),
// blocks (registry), reachability (FIP-0071's reachable sets: consensus from
// nv21, Rules.Reachability; before, gofvm's compat/strict/audit option),
// kernel/gas (prices, access tracking, fee split), kernel/crypto and
// kernel/engine with syscalls (wasm).
//
// A message either produces a receipt or an error for the client; an error
// leaves no trace of the message in the state, and the machine stays usable.
package kernel
