// Package testactors holds gofvm's own test actors and the genesis they run
// on: small hand-written wasm modules (WAT sources in wat/, compiled .wasm
// committed beside them so `go test` needs no tool), a builtin-actors-style
// bundle made of them, and a genesis state tree with system, init, reward,
// burnt-funds, account and tester actors.
//
// Rebuild the .wasm after editing a .wat (needs /usr/bin/wat2wasm, wabt):
//
//	go generate ./actors/testactors
//
// The modules (the smaller ones' gas is computed by hand in scenarios.go):
//
//   - noop: invoke returns 0. The code of system, account, placeholder, eam
//     and ethaccount (each copy tagged with a custom section, so the code
//     CIDs differ). Its gas is small enough to compute by hand (60 gas).
//   - tiny: one debug.enabled syscall, then returns 0 (14,068 gas).
//   - badptr (v2/v3): vm.context / vm.message_context with a return pointer
//     past the memory (the v3 double exec charge of fvm-abi.md §1.3).
//   - charge: gas.charge with −100,000 (signed in v2, unsigned in v3).
//   - retblk: returns a 4-byte block (OnBlockCreate, OnChainReturnValue).
//   - exitdata (v2/v3): creates a block, then aborts / exits 20 with it.
//   - destruct: self_destruct to Bob, then returns 0 (hand gas in
//     scenarios.go, with the nv17 OnDeleteActor refund).
//   - avail (v3 only): returns gas.available (rounded down; hand value
//     in the kernel integration tests).
//   - sealer: imports crypto.verify_seal and calls it with an empty info:
//     links on FVM v2, fails to link on 3.14.1 (fatal).
//   - postv1p1, postmixed: crypto.verify_post of a Window PoSt held in a data
//     segment (one V1P1 proof; a V1P1 and a V1 proof); invoke returns 100 ×
//     the error number, so a refusal ends with exit 11.
//   - tipset (v3 only): network.tipset_cid of the previous epoch.
//   - leaker (v3 only, f096): recurses to the depth limit, sends with a gas
//     limit there and loops (the depth-limit sub-limit leak of 3.6.0–4.0.0).
//   - tester (tester_v2 for nv16–17, tester_v3 for nv18–20): dispatches on the
//     method number to return data, exit with any code, send (nested, with
//     value, to new or missing addresses), recurse to the call-depth limit,
//     loop, trap, grow memory (also in every frame of a recursion or in a
//     row of children), create/link/open/read blocks (up to past 1 MiB, any
//     codec, its own code), emit events (also built at each limit), hand
//     syscalls garbage, create actors and derive f2 addresses, self-destruct,
//     hash, verify signatures, read randomness, tipset CIDs, delegated
//     addresses and balances, and send read-only or twice. See
//     wat/tester.wat.in and the Method constants. The init
//     actor runs the tester code too (tagged "init"), so nv18 actor
//     creation, which only the init actor may do, can be exercised.
//
// The bundle's manifest is in the builtin format (root [1, data CID], data
// [[name, code CID]...], code blocks raw 0x55 wasm; fvm-abi.md §8.1).
package testactors

//go:generate sh wat/gen.sh
