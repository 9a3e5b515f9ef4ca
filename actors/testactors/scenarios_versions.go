package testactors

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
)

// Hand-computed pieces of the version scenarios, in milligas.
const (
	// sealer: thunk 56 + one block of five 4-gas instructions (drop free).
	sealerExec = (56 + 20) * 1000
	// postv1p1, postmixed: thunk 56 + one block of six 4-gas instructions.
	postExec = (56 + 24) * 1000
	// tipset: thunk 56 + one block of six 4-gas instructions (drop free).
	tipsetExec = (56 + 24) * 1000
	// OnVerifyPost with no challenged sector: 117,680,921 (every row of
	// every list; fvm-abi-next.md §7.14, fvm-gas-next.md §10 example 24).
	verifyPostNoSectors = 117_680_921 * 1000
	// OnTipsetCid for the previous epoch (offset 1): 50,000, "other" gas
	// (fvm-gas.md §2.2 HYGGE).
	tipsetCidLatest = 50_000 * 1000
	// LeakLimit is the gas_limit the leaker's deepest frame sends with.
	LeakLimit = 1_000_000
)

// versionScenarios are the rules that separate the FVM lines and the
// releases inside them (fvm-abi-next.md §0.1, §11): each runs at every
// version of the lines it names, with gas computed by hand.
func versionScenarios(g *Genesis, add func(Scenario, uint32, string) *Scenario) {
	nv := g.NV
	v3 := abiV3(nv)
	id := func(n uint64) address.Address { a, _ := address.NewIDAddress(n); return a }
	base := func(name string, to uint64) Scenario {
		return Scenario{Name: name, From: g.Alice, To: id(to), Method: 2, Value: big.Zero(),
			GasLimit: GasLimit, GasFeeCap: FeeCap, GasPremium: GasPremium}
	}

	// crypto.verify_seal: linked by FVM v2, gone from 3.7.0 on
	// (fvm-abi-next.md §3.1, §14 scenario 28).
	if v3 {
		s := add(base("verify-seal-unlinked", uint64(SealerID)), 10,
			"fvm-abi-next.md §3.1, §14 scenario 28: 3.14.1 does not link crypto.verify_seal; a module importing it is fatal (exit 10, gas_used = gas_limit)")
		s.GasLimit = 10_000_000
		s.HandGas = func(int) int64 { return 10_000_000 }
	} else {
		s := add(base("verify-seal-linked", uint64(SealerID)), 0,
			"fvm-abi-next.md §3.1: FVM v2 links crypto.verify_seal; an empty info is IllegalArgument before any charge, ignored by the module")
		s.HandGas = func(L int) int64 { // inclusion + 23,856 + 76 exec + OnSyscall 14,000
			return ceilGas(inclusion(nv, L) + v2InvokeMethod + sealerExec + syscall)
		}
	}

	// Window PoSt proof types (fvm-abi-next.md §7.14, §14 scenario 24):
	// V1P1 refused by FVM v2, taken by 3.14.1; two types in one call refused
	// by both, after OnVerifyPost.
	invocation := func(L int) int64 { // everything before the module's syscall charges
		if v3 {
			return inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page
		}
		return inclusion(nv, L) + v2InvokeMethod
	}
	postGas := func(L int) int64 { return ceilGas(invocation(L) + postExec + syscall + verifyPostNoSectors) }
	if v3 {
		s := add(base("post-v1p1", uint64(PostV1P1ID)), 0,
			"fvm-abi-next.md §7.14: 3.14.1 verifies a V1P1 Window PoSt (type 13); exit 0, no data")
		s.HandGas = postGas
	} else {
		s := add(base("post-v1p1", uint64(PostV1P1ID)), 11,
			"fvm-abi-next.md §7.14: FVM v2 knows V1 Window PoSt only; V1P1 is IllegalArgument after the charge (the module then returns block 100: exit 11)")
		s.HandGas = postGas
	}
	s := add(base("post-mixed-types", uint64(PostMixedID)), 11,
		"fvm-abi-next.md §7.14, §14 scenario 24: proofs of two types are IllegalArgument after the charge (3.14.1: one type per call; v2: no V1P1); exit 11")
	s.HandGas = postGas

	if !v3 {
		return
	}
	// tipset_cid's charge (fvm-abi-next.md §3.3): the limit leaves one gas
	// less than OnTipsetCid's 50,000 after everything before it. 3.6.0+
	// aborts at once (exit 7, gas_used = gas_limit); 3.1.0 went on to the
	// extern, which vectors do not serve: fatal. With one gas more the
	// charge passes and the extern's failure is fatal (exit 10).
	beforeTipset := func(L int) int64 { return ceilGas(invocation(L) + tipsetExec + syscall) }
	s = add(base("tipset-cid-charge-out-of-gas", uint64(TipsetID)), 7,
		"fvm-abi-next.md §3.3: on 3.14.1 an out-of-gas OnTipsetCid aborts at once (exit 7, gas_used = gas_limit); the limit is the hand-computed gas before the charge + 49,999")
	s.GasLimitFor = func(L int) int64 { return beforeTipset(L) + tipsetCidLatest/1000 - 1 }
	s.HandGas = s.GasLimitFor
	s = add(base("tipset-cid-extern-fails", uint64(TipsetID)), 10,
		"fvm-abi-next.md §3.3, §6.3: with 50,000 gas left OnTipsetCid passes; the extern's error (vectors carry no tipset CIDs) is fatal (exit 10, gas_used = gas_limit)")
	s.GasLimitFor = func(L int) int64 { return beforeTipset(L) + tipsetCidLatest/1000 }
	s.HandGas = s.GasLimitFor

	// The depth-limit sub-limit leak of 3.6.0–4.0.0 (fvm-abi-next.md §7.3,
	// fvm-gas-next.md §1.2, §10 example 27): the leaked level runs out at
	// the deepest frame's 1,000,000 and the receipt reports just that. It
	// unwinds 1,024 frames out of gas (seconds on the interpreter), so it
	// runs at one version only, nv19; nv18 and nv20 take the same path
	// (Rules.DepthLimitLeak; kernel/depthleak_test.go).
	if nv != network.Version19 {
		return
	}
	s = add(base("depth-limit-leak", uint64(LeakerID)), 7,
		"fvm-gas-next.md §1.2: a limited send failing the depth check leaves its 1,000,000 sub-limit pushed on 3.14.1; the loop runs it out, the enclosing sends see no gas left: exit 7, gas_used 1,000,000")
	s.GasLimit = 1_000_000_000
	s.HandGas = func(int) int64 { return LeakLimit }
}
