package testactors

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/rules"
)

// syscallScenarios adds, through add, the scenarios of the tester's
// syscall methods 21–39: read-only sends, the access tracker across two
// sends, delegated addresses and balances, events at their limits,
// contexts, builtin types, block_link/block_read, params codecs, a v2
// refund below zero, f2 addresses, hashing, self-destruct, memory.grow's
// charge, block size and codec limits, verify_signature signers. Expected
// values come from the fact sheets; the Go integration tests in kernel/
// add the charge checks.
func syscallScenarios(g *Genesis, add func(Scenario, uint32, string) *Scenario) {
	v3 := g.NV >= network.Version18
	v4 := line(g.NV) == rules.FVMv4
	id := func(n abi.ActorID) address.Address { a, _ := address.NewIDAddress(uint64(n)); return a }
	base := func(name string, to address.Address, method abi.MethodNum, value abi.TokenAmount, p []byte) Scenario {
		return Scenario{Name: name, From: g.Alice, To: to, Method: method, Value: value, Params: p,
			GasLimit: GasLimit, GasFeeCap: FeeCap, GasPremium: GasPremium}
	}
	tp := func(p Params) []byte { return p.Encode() }
	ret := func(s *Scenario, b []byte) { s.Return, s.CheckReturn = b, true }
	t1, t2 := id(Tester1ID), id(Tester2ID)
	newF1 := KeyAddress(42)
	var s *Scenario
	if v3 {
		// --- read-only sends (fvm-abi.md §3.2 send v3, §6.2, §6.4) ---
		for _, c := range []struct {
			name   string
			to     address.Address
			value  uint32
			result []byte
			source string
		}{
			{"read-only-send-value", id(BobID), 1, Result(13, 0), "§3.2 send v3: read-only with value ≠ 0 → ReadOnly (13)"},
			{"read-only-send-zero", id(BobID), 0, Result(0, 0), "§6.4: a read-only method-0 send without value succeeds"},
			{"read-only-send-value-missing", id(999), 1, Result(13, 0), "§3.2 send v3: the value check comes before resolution (not NotFound)"},
			{"read-only-send-missing", id(999), 0, Result(6, 0), "§6.1: an f0 without an actor → NotFound (6)"},
			{"read-only-autocreate-f1", newF1, 0, Result(13, 0), "§6.2 v3: auto-creating an account while read-only → ReadOnly (13)"},
			{"read-only-autocreate-f4", EthAddress(45), 0, Result(13, 0), "§6.2 v3: creating a placeholder while read-only → ReadOnly (13)"},
		} {
			s = add(base(c.name, t1, MethodReadOnlySend, big.Zero(), tp(Params{B: c.value, To: c.to})), 0, "fvm-abi.md "+c.source)
			ret(s, c.result)
		}
	}
	// --- the v3 state-access tracker across two sends (checked with hooks in
	// kernel/integration_actor_test.go) ---
	s = add(base("send-twice-reverted", t1, MethodSendTwice, big.Zero(), tp(Params{A: MethodOpenCode, To: t2})), 0,
		"fvm-abi.md §5.2: the callee reads actor 23's code (NotFound) and traps → exit 4, twice")
	ret(s, Result(4, 4))
	s = add(base("send-twice-ok", t1, MethodSendTwice, big.Zero(), tp(Params{A: MethodConstructor, To: t2})), 0,
		"fvm-abi.md §5.2: two successful calls")
	ret(s, Result(0, 0))
	if v3 {
		// --- lookup_delegated_address and balance_of (fvm-abi.md §3.2 actor) ---
		var none [16]byte
		for _, c := range []struct {
			name       string
			actor, buf uint32
			eL, eB     byte
			bal        abi.TokenAmount
			addr       []byte
			source     string
		}{
			{"delegated-address", uint32(PlaceholderID), 65, 0, 0, AccountBalance, g.Delegated.Bytes(), "the placeholder's f410 bytes"},
			{"delegated-address-none", uint32(BobID), 65, 0, 0, AccountBalance, nil, "no delegated address → length 0"},
			{"delegated-address-missing", 999, 65, 6, 6, big.Zero(), nil, "no actor → NotFound (6) for both"},
			{"delegated-address-small-buffer", uint32(PlaceholderID), 10, 12, 0, AccountBalance, nil, "22 bytes into 10 → BufferTooSmall (12)"},
		} {
			s = add(base(c.name, t1, MethodDelegated, big.Zero(), tp(Params{A: c.actor, B: c.buf})), 0,
				"fvm-abi.md §3.2 lookup_delegated_address, balance_of: "+c.source)
			b := none
			if c.eB == 0 {
				b = u128LE(c.bal)
			}
			ret(s, DelegatedResult(c.eL, c.eB, b, c.addr))
		}
	}
	if v4 {
		// --- FIP-0072 emit_event limits and check order (fvm-abi-next.md
		// §5.2, §14 scenarios 1–6, 8); charges checked with hooks in
		// kernel/integration_v4_test.go ---
		for _, c := range PackedEventCases {
			s = add(base(c.Name, t1, MethodEventOf, big.Zero(), tp(Params{A: c.Kind, B: c.Param})), 0,
				"fvm-abi-next.md §5.2 emit_event: "+c.Source)
			ret(s, Result(c.Errno, c.Entries))
		}
	} else if v3 {
		// --- emit_event limits (fvm-abi.md §3.2 event, §6.12); lengths by hand
		// from the layouts in wat/tester.wat.in, charges checked with hooks in
		// kernel/integration_event_test.go ---
		for _, c := range EventLimitCases {
			s = add(base(c.Name, t1, MethodEventOf, big.Zero(), tp(Params{A: c.Kind, B: c.Param})), 0,
				"fvm-abi.md §3.2 emit_event: "+c.Source)
			ret(s, Result(c.Errno, c.Len))
		}
	}
	// --- vm.context / vm.message_context (fvm-abi.md §1.5, §3.2 vm) ---
	ctxOf := func(caller uint64, value, premium int64, flags uint64) []byte {
		var b []byte
		u64 := func(x uint64) { b = binary.LittleEndian.AppendUint64(b, x) }
		if v3 { // origin, nonce, caller, receiver, method, value lo/hi, gas_premium lo/hi, flags
			u64(uint64(AliceID))
			u64(0)
			u64(caller)
			u64(uint64(Tester1ID))
			u64(MethodContext)
			u64(uint64(value))
			u64(0)
			u64(uint64(premium))
			u64(0)
			u64(flags)
			return append([]byte{0x58, 80}, b...)
		}
		// value lo/hi, caller, receiver, method, epoch 1000, network version 17
		u64(uint64(value))
		u64(0)
		u64(caller)
		u64(uint64(Tester1ID))
		u64(MethodContext)
		u64(1000)
		b = binary.LittleEndian.AppendUint32(b, 17)
		return append([]byte{0x58, 52}, b...)
	}
	s = add(base("message-context", t1, MethodContext, big.NewInt(7), nil), 0,
		"fvm-abi.md §3.2 vm: v3 gas_premium = max(0, min(premium 10, fee cap 200 − base fee 100)) = 10")
	ret(s, ctxOf(uint64(AliceID), 7, 10, 0))
	s = add(base("message-context-premium-capped", t1, MethodContext, big.Zero(), nil), 0,
		"fvm-abi.md §3.2 vm: v3 gas_premium = min(150, 200 − 100) = 100")
	s.GasPremium = big.NewInt(150)
	ret(s, ctxOf(uint64(AliceID), 0, 100, 0))
	s = add(base("message-context-fee-cap-below-base-fee", t1, MethodContext, big.Zero(), nil), 0,
		"fvm-abi.md §3.2 vm: v3 gas_premium = max(0, min(10, 50 − 100)) = 0")
	s.GasFeeCap = big.NewInt(50)
	ret(s, ctxOf(uint64(AliceID), 0, 0, 0))
	s = add(base("message-context-read-only-child", t1, MethodSendLimited, big.Zero(), tp(Params{A: MethodContext, Code: 1})), 0,
		"fvm-abi.md §3.2 vm, §6.4: the child's caller is the tester, flags bit0 = read-only (v3)")
	ret(s, ctxOf(uint64(Tester1ID), 0, 10, 1))
	// --- resolve_address → get_actor_code_cid → get_builtin_actor_type
	// (fvm-abi.md §3.2 actor; type ids are 1-based manifest positions) ---
	for _, c := range []struct {
		name   string
		to     address.Address
		result []byte
		source string
	}{
		{"actor-type-f1", g.Alice, Result(0, uint32(g.Bundle.Types[Account])), "an f1 resolves through the init map; account"},
		{"actor-type-f2", g.Tester2, Result(0, uint32(g.Bundle.Types[Tester])), "an f2 resolves through the init map; tester"},
		{"actor-type-reward", id(RewardID), Result(0, uint32(g.Bundle.Types[System])), "the reward actor runs the system code here"},
		{"actor-type-unknown-f1", KeyAddress(77), Result(6<<8, 0), "resolve_address: not in the init map → NotFound (6)"},
		{"actor-type-missing-f0", id(999), Result(6, 0), "an f0 resolves to itself without an existence check; get_actor_code_cid → NotFound (6)"},
	} {
		s = add(base(c.name, t1, MethodActorType, big.Zero(), tp(Params{To: c.to})), 0, "fvm-abi.md §3.2 actor: "+c.source)
		ret(s, c.result)
	}
	// --- block_link's output buffer (fvm-abi.md §3.2 ipld, §4.2: a CIDv1
	// DAG-CBOR blake2b-256 CID is 1 + 1 + 3 + 1 + 32 = 38 bytes) ---
	s = add(base("block-link-exact-buffer", t1, MethodLink, big.Zero(), tp(Params{A: 38})), 0,
		"fvm-abi.md §3.2 block_link: 38 bytes fit")
	ret(s, Result(0, 38))
	s = add(base("block-link-small-buffer", t1, MethodLink, big.Zero(), tp(Params{A: 37})), 0,
		"fvm-abi.md §3.2 block_link: BufferTooSmall (12), after the charge and the store")
	ret(s, Result(12, 0))
	// --- the params block's codec (fvm-abi.md §7.2 step 3: top-level params
	// are DAG-CBOR 0x71 in v2, CBOR 0x51 in v3; a forwarded block keeps its
	// codec) ---
	pc := uint32(0x71)
	if v3 {
		pc = 0x51
	}
	s = add(base("params-codec", t1, MethodParamsStat, big.Zero(), tp(Params{})), 0,
		"fvm-abi.md §7.2 step 3: the 46-byte params block's codec")
	ret(s, Result(pc, 46))
	s = add(base("params-codec-forwarded", t1, MethodSend, big.Zero(), tp(Params{A: MethodParamsStat, To: t2})), 0,
		"fvm-abi.md §3.2 send: the forwarded params block keeps its codec and size")
	ret(s, Result(pc, 46))
	s = add(base("params-none", t1, MethodParamsStat, big.Zero(), nil), 0,
		"fvm-abi.md §7.2 step 3: no params → invoke(0), nothing to stat")
	ret(s, Result(0, 0))
	// --- a refund larger than all the gas used (fvm-gas.md §1: v2 Gas is
	// signed; ref-fvm v2 call manager finish: gas_used = max(used, 0)) ---
	minusTrillion := int32(-1_000_000)
	s = add(base("gas-charge-refund-below-zero", t1, MethodCharge, big.Zero(), tp(Params{A: uint32(minusTrillion)})), 0,
		"fvm-abi.md §3.2 gas.charge: v2 −10^12 gas drives usage below 0, the receipt clamps it to 0; v3 reads 2^64 − 10^12 → out of gas (7)")
	if v3 {
		s.Exit = 7
		s.HandGas = func(int) int64 { return GasLimit }
	} else {
		ret(s, Result(0, 0))
		s.HandGas = func(int) int64 { return 0 }
	}
	// --- f2 address derivation (fvm-abi.md §6.7) ---
	two := func(a, b int) []byte {
		out := []byte{0x58, 42}
		out = append(out, f2Address(g.Alice, 0, uint64(a))...)
		return append(out, f2Address(g.Alice, 0, uint64(b))...)
	}
	s = add(base("actor-address-twice", t1, MethodAddresses, big.Zero(), nil), 0,
		"fvm-abi.md §6.7: v2 new_actor_address increments the counter (0, 1); v3 next_actor_address does not (0, 0)")
	if v3 {
		ret(s, two(0, 0))
	} else {
		ret(s, two(0, 1))
	}
	s = add(base("actor-address-around-create", id(InitID), MethodAddresses, big.Zero(),
		tp(Params{A: 500, B: uint32(g.Bundle.Types[Account])})), 0,
		"fvm-abi.md §6.7: v2 counts address calls (0, 1); v3 counts successful create_actor (0, 1)")
	ret(s, two(0, 1))
	// --- crypto.hash (fvm-abi.md §3.2 crypto; charges checked with hooks in
	// kernel/integration_crypto_test.go) ---
	sha := sha256.Sum256(ReturnABC)
	s = add(base("hash-sha256-truncated", t1, MethodHash, big.Zero(), tp(Params{A: 0x12, B: 16})), 0,
		"fvm-abi.md §3.2 hash: sha2-256 (FIPS 180-4) truncated to the 16-byte buffer")
	ret(s, append([]byte{0x58, 16}, sha[:16]...))
	s = add(base("hash-unknown-code", t1, MethodHash, big.Zero(), tp(Params{A: 0x9999, B: 32})), 0,
		"fvm-abi.md §3.2 hash: unknown code → IllegalArgument (1)")
	ret(s, Result(1, 0))
	// --- block_read (fvm-abi.md §3.2 ipld): the 46-byte params block ---
	for _, c := range []struct {
		name         string
		off, max     uint32
		errno, value uint32
	}{
		{"block-read-exact", 0, 46, 0, 0},                      // 46 − (0 + 46)
		{"block-read-short-buffer", 0, 10, 0, 36},              // 46 − 10: bytes remaining
		{"block-read-tail", 40, 10, 0, 0xfffffffc},             // 46 − 50 = −4
		{"block-read-past-end", 100, 10, 0, 0xffffffc0},        // 46 − 110 = −64, not an error
		{"block-read-offset-overflow", 0x7ffffff0, 0x20, 1, 0}, // offset + max_len > i32 max → IllegalArgument
	} {
		s = add(base(c.name, t1, MethodRead, big.Zero(), tp(Params{A: c.off, B: c.max})), 0,
			"fvm-abi.md §3.2 block_read: returns size − (offset + max_len)")
		ret(s, Result(c.errno, c.value))
	}
	// --- self-destruct through the tester (fvm-abi.md §3.2 self, §6.9) ---
	if v4 {
		selfDestructV4(g, add)
	} else {
		selfDestructV2V3(g, add)
	}
	// --- memory.grow pays before the limit (fvm-gas.md §3.2, §4) ---
	s = add(base("memory-grow-charged-first", t1, MethodGrow, big.Zero(), tp(Params{A: 0xffffffff})), 0,
		"fvm-abi.md §11: v3 charges 26,214.4 gas/page before growing (2^32−1 pages ≈ 1.1·10^14 gas → out of gas, 7); v2 grow is free and wasm refuses (−1)")
	s.GasLimit = LoopGasLimit
	if v3 {
		s.Exit = 7
		s.HandGas = func(int) int64 { return LoopGasLimit }
	} else {
		ret(s, Result(0xffffffff, 0))
	}
	// --- IPLD block limits and codecs (fvm-abi.md §3.2 ipld, §4.1) ---
	const mib = 1 << 20
	s = add(base("block-create-1mib", t1, MethodBigBlock, big.Zero(), tp(Params{A: mib, B: 0x71})), 0,
		"fvm-abi.md §3.2 block_create: exactly 1 MiB is allowed")
	ret(s, Result(0, 0))
	s = add(base("block-create-over-1mib", t1, MethodBigBlock, big.Zero(), tp(Params{A: mib + 1, B: 0x71})), 0,
		"fvm-abi.md §3.2 block_create: v3 1 MiB + 1 → LimitExceeded (3); v2 has no cap")
	if v3 {
		ret(s, Result(3, 0))
	} else {
		ret(s, Result(0, 0))
	}
	for _, c := range []struct {
		name  string
		codec uint32
	}{{"block-create-raw", 0x55}, {"block-create-cbor", 0x51}} {
		s = add(base(c.name, t1, MethodBigBlock, big.Zero(), tp(Params{A: 9, B: c.codec})), 0,
			"fvm-abi.md §4.1: v2 registry takes DAG-CBOR only (IllegalCodec 9); v3 also CBOR and raw")
		if v3 {
			ret(s, Result(0, 0))
		} else {
			ret(s, Result(9, 0))
		}
	}
	if !v4 { // from v4 a code CID is not reachable (FIP-0071; the reachability lane's scenarios)
		s = add(base("block-open-raw", t1, MethodOpenCode, big.Zero(), tp(Params{A: uint32(TinyID)})), 0,
			"fvm-abi.md §3.2 block_open: a raw (0x55) code block → v2 IllegalCodec (9) after both charges; v3 opens it")
		if v3 {
			ret(s, Result(0, uint32(len(g.Bundle.Block(g.Bundle.Codes[Tiny])))))
		} else {
			ret(s, Result(9, 0))
		}
	}
	// --- verify_signature signers (fvm-abi.md §3.2 crypto) ---
	s = add(base("verify-signature-id-signer", t1, MethodVerify, big.Zero(), tp(Params{B: 1, To: id(AliceID)})), 0,
		"fvm-abi.md §3.2 verify_signature: v2 resolves an f0 signer through its account state (zero signature: invalid, −1); v3 → IllegalArgument (1)")
	if v3 {
		ret(s, Result(1, 0))
	} else {
		ret(s, Result(0, 0xffffffff))
	}
	s = add(base("verify-signature-non-account-signer", t1, MethodVerify, big.Zero(), tp(Params{B: 1, To: t2})), 0,
		"fvm-abi.md §3.2 verify_signature: v2 signer must resolve to an account (IllegalArgument 1); v3 signer must be f1/f3 (1)")
	ret(s, Result(1, 0))
}

// selfDestructV2V3 adds the tester's self-destruct scenarios of FVM v2 and
// v3: a beneficiary address (fvm-abi.md §3.2 self, §6.9).
func selfDestructV2V3(g *Genesis, add func(Scenario, uint32, string) *Scenario) {
	v3 := g.NV >= network.Version18
	id := func(n abi.ActorID) address.Address { a, _ := address.NewIDAddress(uint64(n)); return a }
	base := func(name string, to address.Address, method abi.MethodNum, value abi.TokenAmount, p []byte) Scenario {
		return Scenario{Name: name, From: g.Alice, To: to, Method: method, Value: value, Params: p,
			GasLimit: GasLimit, GasFeeCap: FeeCap, GasPremium: GasPremium}
	}
	tp := func(p Params) []byte { return p.Encode() }
	ret := func(s *Scenario, b []byte) { s.Return, s.CheckReturn = b, true }
	t1, t2 := id(Tester1ID), id(Tester2ID)
	var s *Scenario
	s = add(base("self-destruct", t1, MethodDestruct, big.Zero(), nil), 0,
		"fvm-abi.md §6.9: after deletion root/set_root → IllegalOperation (2), current_balance 0")
	ret(s, DestructResult(0, 2, 2, 0, true))
	s = add(base("self-destruct-to-self", t1, MethodDestruct, big.Zero(), tp(Params{WithData: true, To: t1})), 0,
		"fvm-abi.md §3.2 self_destruct: beneficiary == self → Forbidden (11); the actor stays")
	ret(s, DestructResult(11, 0, 0, 0, false))
	s = add(base("self-destruct-missing-beneficiary", t1, MethodDestruct, big.Zero(), tp(Params{WithData: true, To: id(999)})), 0,
		"fvm-abi.md §3.2 self_destruct: the transfer to an id without an actor → NotFound (6)")
	ret(s, DestructResult(6, 0, 0, 0, false))
	s = add(base("self-destruct-reverted", t1, MethodDestruct, big.Zero(), tp(Params{Code: 20})), 20,
		"fvm-abi.md §6.9: the deletion is reverted with the invocation (exit 20)")
	ret(s, nil)
	s = add(base("self-destruct-nested-reverted", t1, MethodSend, big.Zero(), tp(Params{A: MethodDestruct, Code: 20, To: t2})), 0,
		"fvm-abi.md §6.6, §6.9: the callee's deletion is reverted by its exit 20")
	ret(s, Result(20, 0))
	s = add(base("self-destruct-read-only", t1, MethodSendLimited, big.Zero(), tp(Params{A: MethodDestruct, Code: 1})), 0,
		"fvm-abi.md §3.2 self_destruct, set_root: read-only → ReadOnly (13) in nv18; nv17 ignores the flag and deletes")
	if v3 {
		ret(s, DestructResult(13, 0, 13, 0, false))
	} else {
		ret(s, DestructResult(0, 2, 2, 0, true))
	}
}
