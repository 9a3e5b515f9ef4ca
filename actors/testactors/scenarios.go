package testactors

import (
	"encoding/binary"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"golang.org/x/crypto/blake2b"

	"github.com/gofvm/gofvm/rules"
)

// Scenario is one explicit message on a fresh genesis with the outcome the
// fact sheets predict. The kernel integration tests and the embedded-suite
// generator (vectors/internal/gensuite) both run these.
type Scenario struct {
	Name       string
	From, To   address.Address
	Nonce      uint64
	Method     abi.MethodNum
	Value      abi.TokenAmount
	Params     []byte
	GasLimit   int64
	GasFeeCap  abi.TokenAmount
	GasPremium abi.TokenAmount

	// Exit is the expected exit code; Source says which fact-sheet rule
	// predicts it.
	Exit   uint32
	Source string
	// Return, when CheckReturn, is the expected return data.
	Return      []byte
	CheckReturn bool
	// HandGas, when set, is gas_used computed by hand from fvm-gas.md for
	// chain length L (the comment in scenarios.go shows the arithmetic).
	// Nil means gas_used is only a regression value.
	HandGas func(L int) int64
	// Long marks a loop run until a large gas limit is used up: seconds on
	// the interpreter, so the suite runs it at nv17 and nv18 only.
	Long bool
	// NewRule marks a scenario of a rule its FVM line brings
	// (scenarios_v4.go, scenarios_reach.go): the suite runs those with hand
	// gas at every version of the line.
	NewRule bool
	// GasLimitFor, when set, is the gas limit for chain length L, replacing
	// GasLimit (a limit placed so that one particular charge runs out). The
	// limit's CBOR size must not change L.
	GasLimitFor func(L int) int64
}

// Limit is the message's gas limit at chain length L.
func (s *Scenario) Limit(L int) int64 {
	if s.GasLimitFor != nil {
		return s.GasLimitFor(L)
	}
	return s.GasLimit
}

// Fee parameters: base fee 100 (the vector default), fee cap 200, premium 10.
var (
	BaseFee    = big.NewInt(100)
	FeeCap     = big.NewInt(200)
	GasPremium = big.NewInt(10)
)

// Gas limits used by the scenarios.
const (
	GasLimit     = 3_000_000_000
	LoopGasLimit = 50_000_000
)

// Inclusion charge OnChainMessage in milligas (fvm-gas.md §2, fvm-abi.md §10):
// nv17 38,863 + 1,300·(36 + L) = 85,663 + 1,300·L; nv18 38,863 + 475,000 +
// 46,800 + 1,300·L = 560,663 + 1,300·L.
func inclusion(nv network.Version, L int) int64 {
	if nv >= network.Version18 {
		return (560_663 + 1_300*int64(L)) * 1000
	}
	return (85_663 + 1_300*int64(L)) * 1000
}

// ceilGas turns milligas into the receipt's whole gas (rounded up, fvm-gas.md §1).
func ceilGas(milli int64) int64 { return (milli + 999) / 1000 }

// Hand-computed pieces, in milligas (fvm-gas.md §2, §3.3–3.5; fvm-abi.md §10).
const (
	// v2 OnMethodInvocation: 29,233 base; value≠0 +27,500; value≠0 and
	// method 0 +159,672; method≠0 −5,377.
	v2InvokeM0       = 29_233 * 1000  // value 0, method 0
	v2InvokeM0Value  = 216_405 * 1000 // value≠0, method 0
	v2InvokeMethod   = 23_856 * 1000  // value 0, method≠0
	v2CreateActor    = 1_207_254 * 1000
	v3InvokeMethod   = 75_000 * 1000  // method≠0 only
	v3ValueTransfer  = 6_000 * 1000   // value≠0
	v3ActorLookup    = 500_000 * 1000 // first read of an actor in a message
	v3ActorUpdate    = 475_000 * 1000 // first write
	v3CreateActorAct = 2_700_000 * 1000
	// v3 wasm_memory_init: 0.4 gas × 65,536 bytes = 26,214.4 gas per
	// initial page; every test module declares 1 page.
	v3MemoryInit1Page = 26_214_400
	// noop: invoke thunk (4·1 param + 52) + one block [i32.const] 4 gas.
	noopExec = 60 * 1000
	// tiny: thunk 56 + block [i32.const, call, drop, i32.const] 12 gas +
	// OnSyscall 14,000.
	tinyExec = (56 + 12 + 14_000) * 1000
	// badptr: thunk 56 + the same 12-gas block, all charged before its
	// syscall; OnSyscall separately.
	badptrExec = (56 + 12) * 1000
	syscall    = 14_000 * 1000
	// charge: thunk 56 + one block of five 4-gas instructions (drop free).
	chargeExec = (56 + 20) * 1000
	// retblk: thunk 56 + one block of seven 4-gas instructions.
	retblkExec = (56 + 28) * 1000
	// destruct: thunk 56 + one block [i32.const, i32.const, call, drop,
	// i32.const] of four 4-gas instructions (drop free).
	destructExec = (56 + 16) * 1000
	// avail: thunk 56 + one block of nine 4-gas instructions.
	availExec = (56 + 36) * 1000
	// destruct_v4: thunk 56 + one block [i32.const, call, drop, i32.const]
	// of three 4-gas instructions (drop free).
	destructV4Exec = (56 + 12) * 1000
	// v2 OnDeleteActor: a refund (fvm-gas.md §2.1; v3 charges 0).
	v2DeleteActor = -98_800 * 1000
)

// Scenarios lists the scenarios for the genesis's network version.
func Scenarios(g *Genesis) []Scenario {
	nv := g.NV
	v3 := nv >= network.Version18
	// v4: the FVM v4 line (nv21–28), where a few scenarios expect other
	// outcomes; its new rules have their own scenarios (scenarios_v4.go).
	v4 := line(nv) == rules.FVMv4
	// From v4 creating a DAG-CBOR block also pays the FIP-0071 link scan
	// (fvm-gas-next.md §3.2): a block of one item (a text or byte string)
	// scans one field, 35 gas, and has no links, so OnBlockCreate stays
	// 10·n and a top-level return pays no link fee (§2.4).
	var scanOneField int64
	if v4 {
		scanOneField = 35 * 1000
	}
	id := func(n abi.ActorID) address.Address { a, _ := address.NewIDAddress(uint64(n)); return a }
	fil := func(n int64) abi.TokenAmount { return big.Mul(big.NewInt(n), big.NewInt(1e18)) }
	newF1 := KeyAddress(42)
	newF3 := BLSAddress(43)
	base := func(name string, to address.Address, method abi.MethodNum, value abi.TokenAmount, p []byte) Scenario {
		return Scenario{Name: name, From: g.Alice, To: to, Method: method, Value: value, Params: p,
			GasLimit: GasLimit, GasFeeCap: FeeCap, GasPremium: GasPremium}
	}
	tp := func(p Params) []byte { return p.Encode() }
	var out []Scenario
	add := func(s Scenario, exit uint32, source string) *Scenario {
		s.Exit, s.Source = exit, source
		out = append(out, s)
		return &out[len(out)-1]
	}
	ret := func(s *Scenario, b []byte) { s.Return, s.CheckReturn = b, true }

	// --- method-0 sends: no code runs (fvm-abi.md §6.3) ---
	s := add(base("send-value", id(BobID), 0, big.NewInt(1000), nil), 0, "fvm-abi.md §6.3")
	s.HandGas = func(L int) int64 {
		if v3 { // inclusion + OnValueTransfer + OnActorUpdate(Bob); Bob pre-marked read (§6.10)
			return ceilGas(inclusion(nv, L) + v3ValueTransfer + v3ActorUpdate)
		}
		return ceilGas(inclusion(nv, L) + v2InvokeM0Value) // inclusion + OnMethodInvocation(value, m0)
	}
	s = add(base("send-zero", id(BobID), 0, big.Zero(), nil), 0, "fvm-abi.md §6.3")
	s.HandGas = func(L int) int64 {
		if v3 { // nothing beyond inclusion: no value, method 0, Bob pre-marked read
			return ceilGas(inclusion(nv, L))
		}
		return ceilGas(inclusion(nv, L) + v2InvokeM0)
	}
	// --- tiny wasm methods ---
	s = add(base("noop-method", id(BobID), 2, big.Zero(), nil), 0, "fvm-abi.md §5.2 (invoke returns 0)")
	s.HandGas = func(L int) int64 {
		if v3 { // inclusion + OnMethodInvocation 75,000 + memory init 1 page + 60 exec
			return ceilGas(inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + noopExec)
		}
		return ceilGas(inclusion(nv, L) + v2InvokeMethod + noopExec)
	}
	s = add(base("tiny-method", id(TinyID), 2, big.Zero(), nil), 0, "fvm-abi.md §5.2")
	s.HandGas = func(L int) int64 {
		if v3 {
			return ceilGas(inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + tinyExec)
		}
		return ceilGas(inclusion(nv, L) + v2InvokeMethod + tinyExec)
	}
	s = add(base("bad-return-pointer", id(BadPtrID), 2, big.Zero(), nil), 0,
		"fvm-abi.md §1.3 step 3: IllegalArgument without re-sync; the actor ignores it")
	s.HandGas = func(L int) int64 {
		if v3 { // the 68 gas of exec before the syscall are charged twice (§1.3 step 3, §15 item 6)
			return ceilGas(inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + 2*badptrExec + syscall)
		}
		return ceilGas(inclusion(nv, L) + v2InvokeMethod + badptrExec + syscall)
	}
	s = add(base("negative-gas-charge", id(ChargeID), 2, big.Zero(), nil), 0,
		"fvm-abi.md §3.2 gas.charge: v2 signed (usage drops by 100,000), v3 unsigned (out of gas → 7)")
	s.GasLimit = 10_000_000
	s.HandGas = func(L int) int64 {
		if v3 {
			return 10_000_000 // gas_used = gas_limit
		}
		return ceilGas(inclusion(nv, L) + v2InvokeMethod + chargeExec + syscall - 100_000*1000)
	}
	if v3 {
		s.Exit = 7
	}
	s = add(base("return-value-charge", id(RetBlkID), 2, big.Zero(), nil), 0, "fvm-abi.md §7.2 step 4")
	ret(s, ReturnABC)
	s.HandGas = func(L int) int64 {
		if v3 { // + OnBlockCreate 4 × 10 + OnChainReturnValue 4 × 1,300 (+ the v4 scan)
			return ceilGas(inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + retblkExec + syscall + 40*1000 + 5_200*1000 + scanOneField)
		}
		return ceilGas(inclusion(nv, L) + v2InvokeMethod + retblkExec + syscall + 42*1000 + 5_200*1000)
	}
	s = add(base("exit-data-charge", id(ExitDataID), 2, big.Zero(), nil), 20,
		"fvm-abi.md §7.2 step 4, §7.3: v3 keeps exit data and charges OnChainReturnValue for it; v2 has none")
	s.HandGas = func(L int) int64 {
		if v3 {
			return ceilGas(inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + 104*1000 + 2*syscall + 40*1000 + 5_200*1000 + scanOneField)
		}
		return ceilGas(inclusion(nv, L) + v2InvokeMethod + 96*1000 + 2*syscall + 42*1000)
	}
	if v3 {
		ret(s, ReturnABC)
	} else {
		ret(s, nil)
	}
	// --- account auto-creation (fvm-abi.md §6.2) ---
	s = add(base("autocreate-f1", newF1, 0, big.NewInt(1000), nil), 0, "fvm-abi.md §6.2")
	s.HandGas = func(L int) int64 {
		if v3 { // OnCreateActor(true) + lookup + update of the new id, constructor (75,000 + init + 60), OnValueTransfer
			return ceilGas(inclusion(nv, L) + v3CreateActorAct + v3ActorLookup + v3ActorUpdate +
				v3InvokeMethod + v3MemoryInit1Page + noopExec + v3ValueTransfer)
		}
		// OnCreateActor, constructor (23,856 + 60), then OnMethodInvocation(value, m0)
		return ceilGas(inclusion(nv, L) + v2CreateActor + v2InvokeMethod + noopExec + v2InvokeM0Value)
	}
	s = add(base("autocreate-f3", newF3, 0, big.Zero(), nil), 0, "fvm-abi.md §6.2 (zero value still creates)")
	s.HandGas = func(L int) int64 {
		if v3 {
			return ceilGas(inclusion(nv, L) + v3CreateActorAct + v3ActorLookup + v3ActorUpdate +
				v3InvokeMethod + v3MemoryInit1Page + noopExec)
		}
		return ceilGas(inclusion(nv, L) + v2CreateActor + v2InvokeMethod + noopExec + v2InvokeM0)
	}
	if v3 {
		// --- delegated addresses (nv18) ---
		s = add(base("autocreate-f4-placeholder", EthAddress(44), 0, big.NewInt(1000), nil), 0,
			"fvm-abi.md §6.2: an unknown f410 becomes a placeholder, no constructor")
		s.HandGas = func(L int) int64 { // OnCreateActor(true) + lookup + update of the new id, OnValueTransfer
			return ceilGas(inclusion(nv, L) + v3CreateActorAct + v3ActorLookup + v3ActorUpdate + v3ValueTransfer)
		}
		s = add(base("placeholder-sender", id(BobID), 0, big.NewInt(1000), nil), 0,
			"fvm-abi.md §7.1 step 6: a nonce-0 placeholder with an EAM f4 address may send; it becomes an ethaccount")
		s.From = g.Delegated
		s.HandGas = func(L int) int64 { return ceilGas(inclusion(nv, L) + v3ValueTransfer + v3ActorUpdate) }
		f4other, _ := address.NewDelegatedAddress(999, []byte{1, 2, 3})
		s = add(base("send-f4-other-namespace", f4other, 0, big.NewInt(1), nil), 5,
			"fvm-abi.md §6.2: f4 outside the EAM namespace → NotFound → 5")
		s.HandGas = func(L int) int64 { return ceilGas(inclusion(nv, L)) }
	}
	// --- self-destruct with hand gas (fvm-abi.md §3.2 self, §6.9) ---
	if v4 {
		s = add(base("self-destruct-burn-gas", id(DestructID), 2, big.Zero(), nil), 0,
			"fvm-abi-next.md §3.3 self.self_destruct(burn): the balance moves to f099 without OnValueTransfer")
		s.HandGas = func(L int) int64 {
			// destruct_v4: thunk 56 + 12 exec, OnSyscall, OnDeleteActor 0,
			// OnSelfBalance 0 (the receiver is already read); the transfer
			// updates self (475,000; f099 is preloaded: no lookup, no
			// update); the deletion finds self updated (0). L=120:
			// 716,663 + 75,000 + 26,214.4 + 68 + 14,000 + 475,000 = 1,306,945.4 → 1,306,946
			return ceilGas(inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + destructV4Exec + syscall + v3ActorUpdate)
		}
	} else {
		s = add(base("self-destruct-refund", id(DestructID), 2, big.Zero(), nil), 0,
			"fvm-abi.md §3.2 self.self_destruct: v2 OnDeleteActor refunds 98,800 gas; v3 charges 0 and pays the state access")
		s.HandGas = func(L int) int64 {
			if v3 { // + OnSelfBalance 0 + OnResolveAddress 0; transfer: update(self, pre-read) 475,000 + lookup(Bob) 500,000
				// + update(Bob) 475,000; deletion: self already updated, 0. L=120: 2,281,949.4 → 2,281,950
				return ceilGas(inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + destructExec + syscall +
					v3ActorUpdate + v3ActorLookup + v3ActorUpdate)
			}
			// inclusion + 23,856 + 72 exec + OnSyscall 14,000 − 98,800; L=120: 85,663+156,000+23,856+72+14,000−98,800 = 180,791
			return ceilGas(inclusion(nv, L) + v2InvokeMethod + destructExec + syscall + v2DeleteActor)
		}
	}
	if v3 {
		s = add(base("gas-available", id(AvailID), 2, big.Zero(), nil), 0,
			"fvm-abi.md §3.2 gas.available: the remaining gas rounded down (the value is checked in kernel/integration_network_test.go)")
		s.GasLimit = 10_000_000
		s.HandGas = func(L int) int64 { // + OnSyscall, OnBlockCreate 9 × 10, OnChainReturnValue 9 × 1,300 (+ the v4 scan)
			return ceilGas(inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + availExec + 2*syscall + 90*1000 + 11_700*1000 + scanOneField)
		}
	}
	// --- top-level send errors (fvm-abi.md §7.3) ---
	s = add(base("unknown-receiver", id(999), 0, big.NewInt(1), nil), 5, "fvm-abi.md §7.3 NotFound → 5")
	s.HandGas = func(L int) int64 { return ceilGas(inclusion(nv, L)) } // NotFound before any charge (§6.1)
	s = add(base("insufficient-funds", id(BobID), 0, fil(2000), nil), 6, "fvm-abi.md §6.8, §7.3 → 6")
	s.HandGas = func(L int) int64 {
		if v3 { // OnValueTransfer, then the transfer fails
			return ceilGas(inclusion(nv, L) + v3ValueTransfer)
		}
		return ceilGas(inclusion(nv, L) + v2InvokeM0Value) // v2 charges before the transfer
	}
	// --- preflight (fvm-abi.md §7.1): gas_used 0 ---
	zero := func(int) int64 { return 0 }
	s = add(base("preflight-unknown-sender", id(BobID), 0, big.Zero(), nil), 1, "fvm-abi.md §7.1 step 4")
	s.From, s.HandGas = KeyAddress(77), zero
	s = add(base("preflight-sender-not-account", id(BobID), 0, big.Zero(), nil), 1, "fvm-abi.md §7.1 step 6")
	s.From, s.HandGas = g.Tester1, zero
	s = add(base("preflight-bad-nonce", id(BobID), 0, big.Zero(), nil), 2, "fvm-abi.md §7.1 step 7")
	s.Nonce, s.HandGas = 5, zero
	s = add(base("preflight-no-funds-for-gas", id(BobID), 0, big.Zero(), nil), 2, "fvm-abi.md §7.1 step 8")
	s.GasFeeCap, s.HandGas = big.NewInt(1e12), zero // 10^12 × 3·10^9 > 1000 FIL
	s = add(base("preflight-inclusion-oog", id(BobID), 0, big.Zero(), nil), 7, "fvm-gas.md §5.1 step 2")
	s.GasLimit, s.HandGas = 1000, zero

	// --- the tester (gas: regression values) ---
	t1, t2 := id(Tester1ID), id(Tester2ID)
	s = add(base("tester-return", t1, MethodReturn, big.Zero(), nil), 0, "fvm-abi.md §5.2")
	ret(s, ReturnABC)
	s = add(base("exit-user-code", t1, MethodExit, big.NewInt(10), tp(Params{Code: 20})), 20, "fvm-abi.md §5.2 code ≥ 16")
	ret(s, nil)
	s = add(base("exit-user-code-with-data", t1, MethodExit, big.Zero(), tp(Params{Code: 20, WithData: true})), 20,
		"fvm-abi.md §5.2, §7.3 (v3 keeps the data, v2 has none)")
	if v3 {
		ret(s, ReturnABC)
	} else {
		ret(s, nil)
	}
	s = add(base("exit-system-code", t1, MethodExit, big.Zero(), tp(Params{Code: 3})), 9, "fvm-abi.md §5.2 code < 16 → 9")
	s = add(base("exit-system-code-with-data", t1, MethodExit, big.Zero(), tp(Params{Code: 3, WithData: true})), 9,
		"fvm-abi.md §5.2: v3 exit(1..15, blk) → 9 and still carries blk; v2 abort has no data")
	if v3 {
		ret(s, ReturnABC)
	} else {
		ret(s, nil)
	}
	s = add(base("exit-zero-with-data", t1, MethodExit, big.Zero(), tp(Params{Code: 0, WithData: true})), 9,
		"fvm-abi.md §5.2: v2 abort(0) → 9; v3 exit(0, blk) is success")
	if v3 {
		s.Exit = 0
		ret(s, ReturnABC)
	}
	add(base("missing-return", t1, MethodBadReturn, big.Zero(), nil), 11, "fvm-abi.md §5.2 unknown id → 11")
	s = add(base("nested-send", t1, MethodSend, big.Zero(), tp(Params{A: MethodReturn, B: 5, To: g.Tester2})), 0,
		"fvm-abi.md §5.3, §6.1")
	ret(s, ReturnABC)
	s = add(base("nested-send-reverted", t1, MethodSend, big.Zero(), tp(Params{A: MethodExit, B: 5, Code: 20, To: t2})), 0,
		"fvm-abi.md §5.3, §6.6: the callee's exit 20 reverts its transfer; the caller sees exit 20")
	ret(s, Result(20, 0))
	s = add(base("nested-send-new-f1", t1, MethodSend, big.Zero(), tp(Params{A: 0, B: 7, To: newF1})), 0,
		"fvm-abi.md §6.2 (auto-creation inside a call)")
	ret(s, nil)
	s = add(base("nested-send-missing-f0", t1, MethodSend, big.Zero(), tp(Params{A: 0, B: 7, To: id(999)})), 0,
		"fvm-abi.md §3.2 send: NotFound (6) is the syscall's error number")
	ret(s, Result(0, 6))
	s = add(base("nested-send-insufficient-funds", t1, MethodSend, big.Zero(), tp(Params{A: 0, B: 2_000_000, To: t2})), 0,
		"fvm-abi.md §6.8: the tester holds 1,000,000 attoFIL; the send's error number is InsufficientFunds (5)")
	ret(s, Result(0, 5))
	s = add(base("call-depth", t1, MethodRecurse, big.Zero(), nil), 0,
		"fvm-gas.md §4: v2 1025 frames, v3 1024; the failing send gets LimitExceeded (3)")
	if v3 {
		ret(s, Result(1024, 3))
	} else {
		ret(s, Result(1025, 3))
	}
	s = add(base("out-of-gas", t1, MethodLoop, big.Zero(), nil), 7, "fvm-gas.md §3.5 step 7: gas_used = gas_limit")
	s.GasLimit = LoopGasLimit
	s.HandGas = func(int) int64 { return LoopGasLimit }
	s.Long = true
	add(base("trap-unreachable", t1, MethodUnreachable, big.Zero(), nil), 4, "fvm-abi.md §5.2 trap → 4")
	add(base("trap-div-zero", t1, MethodDivZero, big.Zero(), nil), 4, "fvm-abi.md §5.2 trap → 4")
	add(base("trap-oob", t1, MethodOOB, big.Zero(), nil), 4, "fvm-abi.md §5.2 trap → 4")
	add(base("trap-stack", t1, MethodStack, big.Zero(), nil), 4, "fvm-gas.md §4 stack limit 2048 → 4")
	if v3 {
		s = add(base("memory-grow-over-limit", t1, MethodGrow, big.Zero(), tp(Params{A: 8192})), 0,
			"fvm-gas.md §4: 1 + 8192 pages > 512 MiB; memory.grow returns −1")
		ret(s, Result(0xffffffff, 0))
	} else {
		s = add(base("memory-grow", t1, MethodGrow, big.Zero(), tp(Params{A: 1})), 0, "wasm memory.grow returns the old size")
		ret(s, Result(1, 0))
	}
	s = add(base("blocks", t1, MethodBlocks, big.Zero(), nil), 0, "fvm-abi.md §4.2")
	ret(s, ReturnABC)
	if v3 {
		s = add(base("event", t1, MethodEvent, big.Zero(), nil), 0, "fvm-abi.md §6.12")
		ret(s, Result(0, 0))
	} else {
		add(base("event-unhandled-nv17", t1, MethodEvent, big.Zero(), nil), 22, "the nv17 tester has no method 14 (exits 22)")
	}
	s = add(base("hostile", t1, MethodHostile, big.Zero(), nil), 0, "fvm-abi.md §3.2 validation order")
	ret(s, HostileErrnos(nv))
	if v3 {
		s = add(base("create-not-init", t1, MethodCreate, big.Zero(), tp(Params{A: 500, B: uint32(g.Bundle.Types[Account])})), 0,
			"fvm-abi.md §3.2 create_actor v3: caller ≠ init → Forbidden (11)")
		ret(s, Result(11, 0))
	} else {
		s = add(base("create-by-tester", t1, MethodCreate, big.Zero(), tp(Params{A: 500, B: uint32(g.Bundle.Types[Account])})), 0,
			"fvm-abi.md §3.2 create_actor v2: any caller")
		ret(s, Result(0, 0))
	}
	s = add(base("create-by-init", id(InitID), MethodCreate, big.Zero(), tp(Params{A: 500, B: uint32(g.Bundle.Types[Account])})), 0,
		"fvm-abi.md §3.2 create_actor from the init actor")
	ret(s, Result(0, 0))
	s = add(base("create-singleton", id(InitID), MethodCreate, big.Zero(), tp(Params{A: 501, B: uint32(g.Bundle.Types[System])})), 0,
		"fvm-abi.md §3.2: v2 rejects singleton codes (Forbidden 11); v3 does not check the code")
	if v3 {
		ret(s, Result(0, 0))
	} else {
		ret(s, Result(11, 0))
	}
	s = add(base("create-over-existing", id(InitID), MethodCreate, big.Zero(), tp(Params{A: uint32(Tester1ID), B: uint32(g.Bundle.Types[Account])})), 0,
		"fvm-abi.md §3.2 create_actor: an actor already at the id → Forbidden (11)")
	ret(s, Result(11, 0))
	if v3 {
		s = add(base("create-over-placeholder", id(InitID), MethodCreate, big.Zero(), tp(Params{A: uint32(PlaceholderID), B: uint32(g.Bundle.Types[Account])})), 0,
			"fvm-abi.md §3.2 create_actor v3: a placeholder whose stored f4 differs from the (absent) supplied one → Forbidden (11)")
		ret(s, Result(11, 0))
		s = add(base("create-placeholder-code", id(InitID), MethodCreate, big.Zero(), tp(Params{A: 502, B: uint32(g.Bundle.Types[Placeholder])})), 0,
			"fvm-abi.md §3.2 create_actor v3: the placeholder code → Forbidden (11)")
		ret(s, Result(11, 0))
	}
	s = add(base("exit-unknown-block", t1, MethodExitBadBlk, big.Zero(), tp(Params{Code: 20})), 20,
		"fvm-abi.md §3.2 vm.exit: v3 resolves a non-zero unknown block id → fatal (10, all gas); v2 abort has no block")
	if v3 {
		s.Exit = 10
		s.HandGas = func(int) int64 { return GasLimit }
	}
	s = add(base("subcall-gas-limit", t1, MethodSendLimited, big.Zero(), tp(Params{A: MethodLoop, B: 1_000_000})), 0,
		"fvm-abi.md §6.5: v3 child out of gas under its own limit → exit 7 to the caller; v2 has no sub-limit, the message runs out of gas")
	s.GasLimit = LoopGasLimit
	if v3 {
		ret(s, Result(7, 0))
	} else {
		s.Exit = 7
		s.HandGas = func(int) int64 { return LoopGasLimit }
	}
	s = add(base("nested-exit-unknown-block", t1, MethodSend, big.Zero(), tp(Params{A: MethodExitBadBlk, Code: 20, To: t2})), 0,
		"fvm-abi.md §3.2 vm.exit: a fatal error in a nested call fails the whole message (10, all gas) in v3; v2's abort has no block (the caller sees 20)")
	s.GasLimit = LoopGasLimit
	if v3 {
		s.Exit = 10
		s.HandGas = func(int) int64 { return LoopGasLimit }
	} else {
		ret(s, Result(20, 0))
	}
	s = add(base("subcall-limit-above-remaining", t1, MethodSendLimited, big.Zero(), tp(Params{A: MethodLoop, B: 4_000_000_000})), 7,
		"fvm-abi.md §6.5: a sub-limit ≥ what remains leaves the parent without gas, so OutOfGas ends the message")
	s.GasLimit = LoopGasLimit
	s.HandGas = func(int) int64 { return LoopGasLimit }
	s.Long = true
	s = add(base("read-only-set-root", t1, MethodSendLimited, big.Zero(), tp(Params{A: MethodBlocks, Code: 1})), 0,
		"fvm-abi.md §6.4: set_root in a read-only call → ReadOnly, on which the tester traps (4); nv17 ignores the flag")
	if v3 {
		ret(s, Result(4, 0))
	} else {
		ret(s, ReturnABC)
	}
	s = add(base("read-only-event", t1, MethodSendLimited, big.Zero(), tp(Params{A: MethodEvent, Code: 1})), 0,
		"fvm-abi.md §6.4: emit_event in a read-only call → ReadOnly (13); nv17 has no flags and no method 14 (22)")
	if v3 {
		ret(s, Result(13, 0))
	} else {
		ret(s, Result(22, 0))
	}
	syscallScenarios(g, add)
	if v4 {
		v4Scenarios(g, add)
		reachScenarios(g, newRule(add))
	} else {
		versionScenarios(g, add)
	}
	return out
}

// newRule marks every scenario add adds as a rule new in its FVM line.
func newRule(add func(Scenario, uint32, string) *Scenario) func(Scenario, uint32, string) *Scenario {
	return func(s Scenario, exit uint32, source string) *Scenario {
		s.NewRule = true
		return add(s, exit, source)
	}
}

// f2Address is the 21-byte f2 address the actor-address syscalls derive
// (fvm-abi.md §6.7): 0x02 ‖ blake2b-160(CBOR byte string of the origin's
// address bytes ‖ nonce u64be ‖ counter u64be). The origin here is an f1
// address, so v2's key resolution and v3's "as written" agree.
func f2Address(from address.Address, nonce, counter uint64) []byte {
	b := from.Bytes()
	in := append([]byte{0x40 + byte(len(b))}, b...) // CBOR major type 2, length < 24
	in = binary.BigEndian.AppendUint64(in, nonce)
	in = binary.BigEndian.AppendUint64(in, counter)
	h, _ := blake2b.New(20, nil)
	h.Write(in)
	return append([]byte{0x02}, h.Sum(nil)...)
}

// u128LE is a TokenAmount as the syscalls write it: lo u64le ‖ hi u64le.
func u128LE(v abi.TokenAmount) [16]byte {
	var out [16]byte
	b := v.Int.Bytes() // big-endian magnitude
	for i := 0; i < len(b) && i < 16; i++ {
		out[i] = b[len(b)-1-i]
	}
	return out
}

// EventLimitCase is one MethodEventOf event with its encoded length and
// the error number emit_event gives it (nv18).
type EventLimitCase struct {
	Name        string
	Kind, Param uint32
	Len         uint32 // encoded ActorEvent length
	Errno       uint32
	Source      string
}

// EventLimitCases are the emit_event limit cases; Len from the layouts in
// wat/tester.wat.in: kind 1 is 3 + 7·entries, kind 2 10 + value length,
// kind 3 9 + key length, kind 4 9.
var EventLimitCases = []EventLimitCase{
	{"event-256-entries", 1, 256, 3 + 7*256, 0, "256 entries allowed"},
	{"event-257-entries", 1, 257, 3 + 7*257, 1, "> 256 entries → IllegalArgument (1)"},
	{"event-value-8192", 2, 8192, 10 + 8192, 0, "values totalling 8192 bytes allowed"},
	{"event-value-8193", 2, 8193, 10 + 8193, 1, "values totalling > 8192 bytes → IllegalArgument (1)"},
	{"event-key-32", 3, 32, 9 + 32, 0, "a 32-byte key allowed"},
	{"event-key-33", 3, 33, 9 + 33, 1, "a key > 32 bytes → IllegalArgument (1)"},
	{"event-codec-raw", 4, 0x55, 9, 0, "codec 0x55 allowed"},
	{"event-codec-dagcbor", 4, 0x71, 9, 9, "codec ≠ 0x55 → IllegalCodec (9)"},
}

// HostileErrnos is what MethodHostile returns: one error number per call, in
// the order of wat/tester.wat.in, each from fvm-abi.md §1.4 and §3.2.
func HostileErrnos(nv network.Version) []byte {
	e := []byte{
		1,  // block_open: CID offset past the memory → IllegalArgument
		7,  // block_stat(0) → InvalidHandle
		7,  // block_read(999) → InvalidHandle
		9,  // block_create(codec 0x1234) → IllegalCodec
		1,  // block_create: data out of bounds → IllegalArgument
		8,  // block_link(hash 0x12) → IllegalCid (before the handle check)
		7,  // block_link(999, blake2b-256) → InvalidHandle
		1,  // set_root: CID offset out of bounds
		1,  // set_root: bytes that are not a CID
		1,  // resolve_address: empty address
		1,  // send: empty address
		7,  // send: params id 999 → InvalidHandle
		1,  // vm.context / message_context: ret_ptr out of bounds
		1,  // hash(0x9999) → IllegalArgument
		1,  // get_code_cid_for_type(−1) → IllegalArgument
		6,  // get_actor_code_cid(999999) → NotFound
		12, // self.root into 1 byte → BufferTooSmall
		1,  // gas.charge: name out of bounds
		1,  // get_chain_randomness: entropy out of bounds
		1,  // verify_signature(type 9) → IllegalArgument
	}
	if nv >= network.Version18 {
		e = append(e,
			1, // send with flags 2 → IllegalArgument
			1, // emit_event("abc" is not an ActorEvent) → IllegalArgument
		)
	}
	return append([]byte{0x40 + byte(len(e))}, e...)
}
