package testactors

import (
	"bytes"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/rules"
)

// The FVM v4 line's own scenarios (nv21–28): the FIP-0072 event limits
// through the tester, self_destruct's burn flag, and one scenario per new
// rule whose gas is computed by hand from fvm-gas-next.md (each on a module
// that makes exactly one syscall of interest, so its wasm gas is a count of
// instructions; wat/*_v4.wat).

// Hand-computed pieces of the v4 modules, in milligas: the invoke thunk
// 56 gas plus one metered block of 4-gas instructions (fvm-gas.md §3.2–§3.4).
const (
	eventV4Exec  = (56 + 32) * 1000 // six i32.const, call, i32.const
	randV4Exec   = (56 + 16) * 1000 // i32.const, i64.const, call, i32.const
	blsV4Exec    = (56 + 32) * 1000 // six i32.const, call, i32.const
	proofsV4Exec = (56 + 56) * 1000 // block_read (6), the proof syscall (7), i32.const
	// OnBlockRead: 0.4 gas per byte copied (fvm-gas.md §2.2, unchanged in
	// WATERMELON and TEEP).
	blockReadPerByte = 400
)

// PackedEventCase is one MethodEventOf event on FVM v4 (wat/tester.wat.in
// packed_event) with the error number emit_event gives it and the number of
// entries the tester reports.
type PackedEventCase struct {
	Name           string
	Kind, Param    uint32
	Errno, Entries uint32
	Source         string
}

// PackedEventCases are the FIP-0072 limit and check-order cases
// (fvm-abi-next.md §5.2, §14 scenarios 1–6 and 8).
var PackedEventCases = []PackedEventCase{
	{"event-255-entries", 1, 255, 0, 255, "255 entries allowed"},
	{"event-256-entries", 1, 256, 3, 256, "> 255 entries → LimitExceeded (3) after the charge (§14 scenario 1)"},
	{"event-value-8192", 2, 8192, 0, 1, "a value buffer of 8,192 bytes allowed"},
	{"event-value-8193", 2, 8193, 3, 1, "a value buffer > 8,192 bytes → LimitExceeded (3) (§14 scenario 5)"},
	{"event-key-31", 3, 31, 0, 1, "a 31-byte key allowed"},
	{"event-key-32", 3, 32, 3, 1, "a key > 31 bytes → LimitExceeded (3) (§14 scenario 2)"},
	{"event-codec-raw", 4, 0x55, 0, 1, "codec 0x55 allowed"},
	{"event-codec-cbor", 4, 0x51, 0, 1, "codec 0x51 allowed from 4.1.2 (§5.3, §14 scenario 4)"},
	{"event-codec-dagcbor", 4, 0x71, 9, 1, "codec 0x71 → IllegalCodec (9) (§14 scenario 4)"},
	{"event-flags-indexed", 5, 3, 0, 1, "flags 3 (both indexed) allowed"},
	{"event-flags-unknown", 5, 4, 1, 1, "an unknown flag bit → IllegalArgument (1) (§14 scenario 3)"},
	{"event-key-split-utf8", 6, 0, 1, 2, "a key ending inside a UTF-8 character → IllegalArgument (1) (§14 scenario 6)"},
	{"event-key-buffer-unused", 7, 0, 1, 1, "key bytes left over → IllegalArgument (1) (§14 scenario 6)"},
	{"event-no-entries", 8, 0, 0, 0, "an event without entries is recorded (§14 scenario 8)"},
}

// selfDestructV4 adds the tester's self-destruct scenarios of FVM v4:
// self_destruct(burn_funds) with burn = the params' e flag (FIP-0073,
// fvm-abi-next.md §3.3, §14 scenario 12). The tester holds 1,000,000
// attoFIL.
func selfDestructV4(g *Genesis, add func(Scenario, uint32, string) *Scenario) {
	id := func(n abi.ActorID) address.Address { a, _ := address.NewIDAddress(uint64(n)); return a }
	base := func(name string, to address.Address, method abi.MethodNum, p []byte) Scenario {
		return Scenario{Name: name, From: g.Alice, To: to, Method: method, Value: big.Zero(), Params: p,
			GasLimit: GasLimit, GasFeeCap: FeeCap, GasPremium: GasPremium}
	}
	tp := func(p Params) []byte { return p.Encode() }
	ret := func(s *Scenario, b []byte) { s.Return, s.CheckReturn = b, true }
	t1, t2 := id(Tester1ID), id(Tester2ID)
	s := add(base("self-destruct-unspent", t1, MethodDestruct, nil), 0,
		"fvm-abi-next.md §3.3: a balance without burn → IllegalOperation (2); the actor stays")
	ret(s, DestructResult(2, 0, 0, 0, false))
	s = add(base("self-destruct-burn", t1, MethodDestruct, tp(Params{WithData: true})), 0,
		"fvm-abi-next.md §3.3: burn moves the balance to f099 and deletes; root/set_root → IllegalOperation (2), balance 0")
	ret(s, DestructResult(0, 2, 2, 0, true))
	s = add(base("self-destruct-reverted", t1, MethodDestruct, tp(Params{Code: 20, WithData: true})), 20,
		"fvm-abi.md §6.9: the deletion (and the burn) are reverted with the invocation (exit 20)")
	ret(s, nil)
	s = add(base("self-destruct-nested-reverted", t1, MethodSend, tp(Params{A: MethodDestruct, Code: 20, WithData: true, To: t2})), 0,
		"fvm-abi.md §6.6, §6.9: the callee's deletion is reverted by its exit 20")
	ret(s, Result(20, 0))
	s = add(base("self-destruct-read-only", t1, MethodSendLimited, tp(Params{A: MethodDestruct, Code: 1})), 0,
		"fvm-abi-next.md §3.3: read-only → ReadOnly (13) before anything, for self_destruct and set_root")
	ret(s, DestructResult(13, 0, 13, 0, false))
}

// v4Scenarios adds the scenarios of the FVM v4 rules (marked NewRule).
func v4Scenarios(g *Genesis, addAny func(Scenario, uint32, string) *Scenario) {
	add := newRule(addAny)
	nv := g.NV
	// TEEP (nv25–28) prices seals and NI-PoRep aggregates anew
	// (fvm-gas-next.md §0.2, §2.3).
	teep := rules.MustFor(nv).Prices.Name == "teep"
	id := func(n abi.ActorID) address.Address { a, _ := address.NewIDAddress(uint64(n)); return a }
	base := func(name string, to address.Address, p []byte) Scenario {
		return Scenario{Name: name, From: g.Alice, To: to, Method: 2, Value: big.Zero(), Params: p,
			GasLimit: GasLimit, GasFeeCap: FeeCap, GasPremium: GasPremium}
	}
	ret := func(s *Scenario, b []byte) { s.Return, s.CheckReturn = b, true }
	// call is what every one-syscall module pays besides its syscall:
	// inclusion, OnMethodInvocation 75,000 (top-level params have no links),
	// memory init of its one page, and OnSyscall.
	call := func(L int) int64 { return inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + syscall }

	s := add(base("event-packed-gas", id(EventID), nil), 0,
		"fvm-gas-next.md §4.1, fvm-abi-next.md §14 scenario 7: E 1, K 1, V 32 → OnActorEvent 4,844.8")
	s.HandGas = func(L int) int64 { return ceilGas(call(L) + eventV4Exec + 4_844_800) }
	s = add(base("event-cbor-values-gas", id(EventCBORID), nil), 0,
		"fvm-gas-next.md §10 example 3: four CBOR-valued entries, E 4, K 21, V 20 → OnActorEvent 9,966.8; accepted (4.1.2)")
	s.HandGas = func(L int) int64 { return ceilGas(call(L) + eventV4Exec + 9_966_800) }
	s = add(base("randomness-lookback-gas", id(RandID), nil), 0,
		"fvm-gas-next.md §4.2, §10 example 6: lookback 900 → OnGetRandomness 146,200 + 67,500 = 213,700")
	s.HandGas = func(L int) int64 { return ceilGas(call(L) + randV4Exec + 213_700_000) }
	s = add(base("randomness-future-epoch", id(Tester1ID), Params{B: 1001}.Encode()), 7,
		"fvm-gas-next.md §4.2, §10 example 7: a future epoch saturates the lookback charge → out of gas, gas_used = gas_limit")
	s.Method = MethodRandomness
	s.GasLimit = LoopGasLimit
	s.HandGas = func(int) int64 { return LoopGasLimit }
	s = add(base("randomness-digest", id(Tester1ID), Params{B: 900}.Encode()), 0,
		"fvm-abi-next.md §3.3, §14 scenario 9: the client's digest for the epoch, unchanged (the scenario externs' digest)")
	s.Method = MethodRandomness
	ret(s, append([]byte{0x58, 0x20}, FallbackDigest[:]...))
	s = add(base("tipset-cid-past-finality", id(Tester1ID), Params{A: 100, B: 100}.Encode()), 10,
		"fvm-abi-next.md §3.3, §14 scenario 11: offset 900 is charged 213,700 and asks the extern, whose failure is fatal (10, all gas)")
	s.Method = MethodTipsetCid
	s.GasLimit = LoopGasLimit
	s.HandGas = func(int) int64 { return LoopGasLimit }
	s = add(base("bls-aggregate-gas", id(BLSID), nil), 0,
		"fvm-gas-next.md §5.5, fvm-abi-next.md §14 scenario 27: 2 signers, 64 bytes → 8,299,302·3 + 448 = 24,898,354; undecodable → −1, no error")
	s.HandGas = func(L int) int64 { return ceilGas(call(L) + blsV4Exec + 24_898_354_000) }

	seals := SealInfos(3)
	perSeal, source := int64(2_000), "fvm-gas-next.md §5.3: 3 seals × 2,000 up to nv24 = 6,000 (§14 scenario 25)"
	if teep {
		perSeal, source = 42_000_000, "fvm-gas-next.md §5.3: 3 seals × 42,000,000 from nv25 (TEEP) = 126,000,000 (§14 scenario 25)"
	}
	s = add(base("batch-seals-gas", id(SealsID), seals), 0, source)
	s.HandGas = func(L int) int64 {
		return ceilGas(call(L) + syscall + proofsV4Exec + blockReadPerByte*int64(len(seals)) + 3*perSeal*1000)
	}
	if teep {
		s = add(base("batch-seals-out-of-gas", id(SealsID), seals), 7,
			"fvm-abi-next.md §14 scenario 25: a limit covering two 42,000,000 charges but not three → out of gas before any result, gas_used = gas_limit")
		s.GasLimit = 100_000_000
		s.HandGas = func(int) int64 { return 100_000_000 }
	}
	agg := AggregateSeals(abi.RegisteredSealProof_StackedDrg32GiBV1_2_Feat_NiPoRep, 3)
	aggGas, aggSource := int64(1_349_700), "fvm-gas-next.md §5.2: 3 NI-PoRep 32GiB proofs priced with the 32GiB V1P1 row up to nv24: 449,900·3 = 1,349,700 (§14 scenario 26)"
	if teep {
		aggGas, aggSource = 154_566_150, "fvm-gas-next.md §5.2: 3 NI-PoRep 32GiB proofs from nv25: 5,668,740·3 + 137,559,930 = 154,566,150 (§14 scenario 26)"
	}
	s = add(base("aggregate-niporep-gas", id(AggSealsID), agg), 0, aggSource)
	s.HandGas = func(L int) int64 {
		return ceilGas(call(L) + syscall + proofsV4Exec + blockReadPerByte*int64(len(agg)) + aggGas*1000)
	}
	post := WindowPoSt(abi.RegisteredPoStProof_StackedDrgWindow32GiBV1, 10)
	s = add(base("post-v1-gas", id(PoStID), post), 0,
		"fvm-gas-next.md §10 example 24: 10 sectors → 117,680,921 + 437,800 = 118,118,721, charged before the V1 type is refused (§14 scenario 24)")
	s.HandGas = func(L int) int64 {
		return ceilGas(call(L) + syscall + proofsV4Exec + blockReadPerByte*int64(len(post)) + 118_118_721_000)
	}
	s = add(base("missing-entry-point", id(NoInvokeID), nil), 5,
		"fvm-abi-next.md §1.2, §14 scenario 32: no invoke export → exit SYS_INVALID_RECEIVER (5) from 4.1")
}

// FallbackDigest is the digest the scenario externs answer for every
// randomness request: the fallback of the reference's conformance runner,
// which gofvm's vector runner serves when a vector records none
// (conformance.md §1.5).
var FallbackDigest = [32]byte([]byte("i_am_random_____i_am_random_____"))

// commitment returns a 32-byte fil-commitment CID (sealed 0xf102 with
// poseidon-bls12-381 0xb401, or unsealed 0xf101 with sha2-256-trunc254
// 0x1012) whose digest is n repeated.
func commitment(sealed bool, n byte) cid.Cid {
	codec, hash := uint64(0xf101), uint64(0x1012)
	if sealed {
		codec, hash = 0xf102, 0xb401
	}
	m, err := mh.Encode(bytes.Repeat([]byte{n}, 32), hash)
	if err != nil {
		panic(err)
	}
	return cid.NewCidV1(codec, m)
}

// SealInfos is the CBOR list of n SealVerifyInfo (32GiB V1P1) that
// batch_verify_seals takes.
func SealInfos(n int) []byte {
	var b bytes.Buffer
	b.WriteByte(0x80 + byte(n))
	for i := range n {
		info := proof.SealVerifyInfo{SealProof: abi.RegisteredSealProof_StackedDrg32GiBV1_1,
			SectorID: abi.SectorID{Miner: 1000, Number: abi.SectorNumber(i)}, DealIDs: []abi.DealID{},
			Randomness: make([]byte, 32), InteractiveRandomness: make([]byte, 32), Proof: []byte{1},
			SealedCID: commitment(true, byte(i)), UnsealedCID: commitment(false, byte(i))}
		if err := info.MarshalCBOR(&b); err != nil {
			panic(err)
		}
	}
	return b.Bytes()
}

// AggregateSeals is the CBOR AggregateSealVerifyProofAndInfos of n typ
// proofs aggregated with SnarkPackV2.
func AggregateSeals(typ abi.RegisteredSealProof, n int) []byte {
	agg := proof.AggregateSealVerifyProofAndInfos{Miner: 1000, SealProof: typ,
		AggregateProof: abi.RegisteredAggregationProof_SnarkPackV2, Proof: []byte{1}, Infos: []proof.AggregateSealVerifyInfo{}}
	for i := range n {
		agg.Infos = append(agg.Infos, proof.AggregateSealVerifyInfo{Number: abi.SectorNumber(i),
			Randomness: make([]byte, 32), InteractiveRandomness: make([]byte, 32),
			SealedCID: commitment(true, byte(i)), UnsealedCID: commitment(false, byte(i))})
	}
	var b bytes.Buffer
	if err := agg.MarshalCBOR(&b); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// WindowPoSt is the CBOR WindowPoStVerifyInfo of one typ proof over n
// sectors sealed with the 32GiB V1P1 seal proof.
func WindowPoSt(typ abi.RegisteredPoStProof, n int) []byte {
	return WindowPoStOf([]abi.RegisteredPoStProof{typ}, abi.RegisteredSealProof_StackedDrg32GiBV1_1, n)
}

// WindowPoStOf is the CBOR WindowPoStVerifyInfo of one proof per type over
// n sectors sealed with seal.
func WindowPoStOf(types []abi.RegisteredPoStProof, seal abi.RegisteredSealProof, n int) []byte {
	info := proof.WindowPoStVerifyInfo{Randomness: make([]byte, 32), Prover: 1000,
		Proofs: []proof.PoStProof{}, ChallengedSectors: []proof.SectorInfo{}}
	for _, typ := range types {
		info.Proofs = append(info.Proofs, proof.PoStProof{PoStProof: typ, ProofBytes: []byte{1}})
	}
	for i := range n {
		info.ChallengedSectors = append(info.ChallengedSectors, proof.SectorInfo{
			SealProof: seal, SectorNumber: abi.SectorNumber(i), SealedCID: commitment(true, byte(i))})
	}
	var b bytes.Buffer
	if err := info.MarshalCBOR(&b); err != nil {
		panic(err)
	}
	return b.Bytes()
}
