package gas

import (
	"errors"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/proof"

	"github.com/gofvm/gofvm/kernel/errno"
)

// Expected numbers are typed from fvm-gas.md §2.1–§2.3 and fvm-abi.md §10
// (whole gas unless the name says mg), never computed by the code under test.

const g = 1000 // milligas per gas

type priceCase struct {
	name    string
	charge  Charge
	wantN   string
	compute int64 // milligas
	other   int64 // milligas
}

func check(t *testing.T, list string, cases []priceCase) {
	t.Helper()
	for _, c := range cases {
		if c.charge.Name != c.wantN || int64(c.charge.Compute) != c.compute || int64(c.charge.Other) != c.other {
			t.Errorf("%s %s: got %s compute %d other %d mg; want %s compute %d other %d mg",
				list, c.name, c.charge.Name, c.charge.Compute, c.charge.Other, c.wantN, c.compute, c.other)
		}
	}
}

func must[T any](c T, ok bool) T {
	if !ok {
		panic("charge not applicable")
	}
	return c
}

func mustErr(c Charge, err error) Charge {
	if err != nil {
		panic(err)
	}
	return c
}

var (
	zero = big.Zero()
	one  = big.NewInt(1)
)

func agg(typ abi.RegisteredSealProof, n int) *proof.AggregateSealVerifyProofAndInfos {
	return &proof.AggregateSealVerifyProofAndInfos{SealProof: typ, Infos: make([]proof.AggregateSealVerifyInfo, n)}
}

func post(n int) *proof.WindowPoStVerifyInfo {
	return &proof.WindowPoStVerifyInfo{ChallengedSectors: make([]proof.SectorInfo, n)}
}

const (
	p32 = abi.RegisteredSealProof_StackedDrg32GiBV1_1
	p64 = abi.RegisteredSealProof_StackedDrg64GiBV1_1
	p2k = abi.RegisteredSealProof_StackedDrg2KiBV1_1
)

func TestSkyrPrices(t *testing.T) {
	p, err := ByName("skyr")
	if err != nil {
		t.Fatal(err)
	}
	check(t, "skyr", []priceCase{
		{"inclusion L=100", p.OnChainMessage(100), "OnChainMessage", 38_863 * g, (36 + 100) * 1300 * g},
		{"inclusion L=0", p.OnChainMessage(0), "OnChainMessage", 38_863 * g, 46_800 * g},
		{"return 10", p.OnChainReturnValue(10), "OnChainReturnValue", 0, 13_000 * g},
		{"invoke v0 m0", must(p.OnMethodInvocation(zero, 0)), "OnMethodInvocation", 29_233 * g, 0},
		{"invoke v1 m0", must(p.OnMethodInvocation(one, 0)), "OnMethodInvocation", 216_405 * g, 0},
		{"invoke v0 m2", must(p.OnMethodInvocation(zero, 2)), "OnMethodInvocation", 23_856 * g, 0},
		{"invoke v1 m2", must(p.OnMethodInvocation(one, 2)), "OnMethodInvocation", 51_356 * g, 0},
		{"syscall", p.OnSyscall(), "OnSyscall", 14_000 * g, 0},
		{"create", p.OnCreateActor(false), "OnCreateActor", 1_108_454 * g, 98_800 * g},
		{"create new address", p.OnCreateActor(true), "OnCreateActor", 1_108_454 * g, 98_800 * g},
		{"delete", p.OnDeleteActor(), "OnDeleteActor", 0, -98_800 * g},
		{"sig secp", mustErr(p.OnVerifySignature(crypto.SigTypeSecp256k1, 500)), "OnVerifySignature", 1_637_292 * g, 0},
		{"sig bls", mustErr(p.OnVerifySignature(crypto.SigTypeBLS, 500)), "OnVerifySignature", 16_598_605 * g, 0},
		{"recover", p.OnRecoverSecpPublicKey(), "OnRecoverSecpPublicKey", 1_637_292 * g, 0},
		{"hash sha256", must(p.OnHashing(0x12, 1000)), "OnHashing", 31_355 * g, 0},
		{"hash unknown code", must(p.OnHashing(0x99, 0)), "OnHashing", 31_355 * g, 0},
		{"commd", p.OnComputeUnsealedSectorCid(p32, nil), "OnComputeUnsealedSectorCid", 98_647 * g, 0},
		{"seal", p.OnVerifySeal(), "OnVerifySeal", 2_000 * g, 0},
		{"agg 32 n=3", p.OnVerifyAggregateSeals(agg(p32, 3)), "OnVerifyAggregateSeals", 1_349_700 * g, 0},
		{"agg 32 n=4", p.OnVerifyAggregateSeals(agg(p32, 4)), "OnVerifyAggregateSeals", 105_793_770 * g, 0},
		{"agg 32 n=6", p.OnVerifyAggregateSeals(agg(p32, 6)), "OnVerifyAggregateSeals", 106_693_570 * g, 0},
		{"agg 32 n=7", p.OnVerifyAggregateSeals(agg(p32, 7)), "OnVerifyAggregateSeals", 115_506_110 * g, 0},
		{"agg 64 n=410", p.OnVerifyAggregateSeals(agg(p64, 410)), "OnVerifyAggregateSeals", 657_182_160 * g, 0},
		{"agg 64 n=1000", p.OnVerifyAggregateSeals(agg(p64, 1000)), "OnVerifyAggregateSeals", 869_152_640 * g, 0},
		{"agg 2KiB→32 n=13", p.OnVerifyAggregateSeals(agg(p2k, 13)), "OnVerifyAggregateSeals", 128_761_310 * g, 0},
		{"replica", p.OnVerifyReplicaUpdate(), "OnVerifyReplicaUpdate", 36_316_136 * g, 0},
		{"post 0", p.OnVerifyPost(post(0)), "OnVerifyPost", 117_680_921 * g, 0},
		{"post 10", p.OnVerifyPost(post(10)), "OnVerifyPost", 118_118_721 * g, 0},
		{"post V1P1 10 → fallback", p.OnVerifyPost(postTyped(abi.RegisteredPoStProof_StackedDrgWindow32GiBV1_1, 10)), "OnVerifyPost", 118_118_721 * g, 0},
		{"fault", p.OnVerifyConsensusFault(), "OnVerifyConsensusFault", 516_422 * g, 0},
		{"randomness", p.OnGetRandomness(100), "OnGetRandomness", 21_000 * g, 0},
		{"open base", p.OnBlockOpenBase(), "OnBlockOpenBase", 135_617 * g, 0},
		{"open 1000", p.OnBlockOpenPerByte(1000), "OnBlockOpenPerByte", 10_500 * g, 0},
		{"open 3 (10.5/byte)", p.OnBlockOpenPerByte(3), "OnBlockOpenPerByte", 31_500, 0},
		{"read 1001 (0.5/byte)", p.OnBlockRead(1001), "OnBlockRead", 500_500, 0},
		{"create 3", p.OnBlockCreate(3), "OnBlockCreate", 31_500, 0},
		{"link 100", p.OnBlockLink(100), "OnBlockLink", 353_740 * g, 130_000 * g},
		{"stat", p.OnBlockStat(), "OnBlockStat", 0, 0},
	})
	if _, ok := p.OnValueTransfer(one); ok {
		t.Error("skyr has no OnValueTransfer")
	}
	if _, err := p.OnVerifySignature(crypto.SigTypeDelegated, 1); !isErrno(err, errno.IllegalArgument) {
		t.Errorf("skyr delegated signature: %v", err)
	}
	if _, err := p.OnTipsetCid(1); err == nil {
		t.Error("skyr has no tipset_cid")
	}
	if p.Exec.Instruction != 4000 || p.Exec.MemoryGrowPerPage != 0 || p.Rules.ExecLinear || p.Rules.WasmInitCharges {
		t.Errorf("skyr exec prices %+v", p.Exec)
	}
	if p.Rules.StateAccessCharging || len(p.PreloadedActors) != 0 || !p.Rules.SignedGas {
		t.Errorf("skyr rules %+v", p.Rules)
	}
}

func TestHyggePrices(t *testing.T) {
	p, err := ByName("hygge")
	if err != nil {
		t.Fatal(err)
	}
	check(t, "hygge", []priceCase{
		{"inclusion L=100", p.OnChainMessage(100), "OnChainMessage", 38_863 * g, (475_000 + 46_800 + 130_000) * g},
		{"return 10", p.OnChainReturnValue(10), "OnChainReturnValue", 0, 13_000 * g},
		{"invoke v0 m2", must(p.OnMethodInvocation(zero, 2)), "OnMethodInvocation", 75_000 * g, 0},
		{"invoke v1 m2", must(p.OnMethodInvocation(one, 2)), "OnMethodInvocation", 75_000 * g, 0},
		{"transfer", must(p.OnValueTransfer(one)), "OnValueTransfer", 6_000 * g, 0},
		{"syscall", p.OnSyscall(), "OnSyscall", 14_000 * g, 0},
		{"create", p.OnCreateActor(false), "OnCreateActor", 0, 650_000 * g},
		{"create new address", p.OnCreateActor(true), "OnCreateActor", 0, 2_700_000 * g},
		{"delete", p.OnDeleteActor(), "OnDeleteActor", 0, 0},
		{"lookup", p.OnActorLookup(), "OnActorLookup", 0, 500_000 * g},
		{"update", p.OnActorUpdate(), "OnActorUpdate", 0, 475_000 * g},
		{"sig secp 100", mustErr(p.OnVerifySignature(crypto.SigTypeSecp256k1, 100)), "OnVerifySignature", 1_638_292 * g, 0},
		{"sig bls 100", mustErr(p.OnVerifySignature(crypto.SigTypeBLS, 100)), "OnVerifySignature", 16_601_205 * g, 0},
		{"recover", p.OnRecoverSecpPublicKey(), "OnRecoverSecpPublicKey", 1_637_292 * g, 0},
		{"sha2-256 100", must(p.OnHashing(0x12, 100)), "OnHashing", 700 * g, 0},
		{"blake2b-256 100", must(p.OnHashing(0xb220, 100)), "OnHashing", 1_000 * g, 0},
		{"blake2b-512 100", must(p.OnHashing(0xb240, 100)), "OnHashing", 1_000 * g, 0},
		{"keccak-256 100", must(p.OnHashing(0x1b, 100)), "OnHashing", 3_300 * g, 0},
		{"ripemd-160 100", must(p.OnHashing(0x1053, 100)), "OnHashing", 3_500 * g, 0},
		{"commd", p.OnComputeUnsealedSectorCid(p32, nil), "OnComputeUnsealedSectorCid", 98_647 * g, 0},
		{"seal", p.OnVerifySeal(), "OnVerifySeal", 2_000 * g, 0},
		{"agg 32 n=4", p.OnVerifyAggregateSeals(agg(p32, 4)), "OnVerifyAggregateSeals", 105_793_770 * g, 0},
		{"agg 64 n=410", p.OnVerifyAggregateSeals(agg(p64, 410)), "OnVerifyAggregateSeals", 657_182_160 * g, 0},
		{"replica", p.OnVerifyReplicaUpdate(), "OnVerifyReplicaUpdate", 36_316_136 * g, 0},
		{"post 10", p.OnVerifyPost(post(10)), "OnVerifyPost", 118_118_721 * g, 0},
		{"post V1P1 10", p.OnVerifyPost(postTyped(abi.RegisteredPoStProof_StackedDrgWindow32GiBV1_1, 10)), "OnVerifyPost", 118_118_721 * g, 0},
		{"post V1 64GiB 10", p.OnVerifyPost(postTyped(abi.RegisteredPoStProof_StackedDrgWindow64GiBV1, 10)), "OnVerifyPost", 118_118_721 * g, 0},
		{"fault", p.OnVerifyConsensusFault(), "OnVerifyConsensusFault", 0, 516_422 * g},
		{"randomness 32", p.OnGetRandomness(32), "OnGetRandomness", 0, 21_800 * g},
		{"randomness 0", p.OnGetRandomness(0), "OnGetRandomness", 0, 21_480 * g},
		{"tipset 1", mustErr(p.OnTipsetCid(1)), "OnTipsetCid", 0, 50_000 * g},
		{"tipset 2", mustErr(p.OnTipsetCid(2)), "OnTipsetCid", 0, 215_000 * g},
		{"tipset 899", mustErr(p.OnTipsetCid(899)), "OnTipsetCid", 0, 215_000 * g},
		{"open base", p.OnBlockOpenBase(), "OnBlockOpenBase", 0, 187_440 * g},
		{"open 1000", p.OnBlockOpenPerByte(1000), "OnBlockOpenPerByte", 2_400 * g, 7_600 * g},
		{"open 1 (2.4 + 7.6)", p.OnBlockOpenPerByte(1), "OnBlockOpenPerByte", 2_400, 7_600},
		{"read 1001 (0.4/byte)", p.OnBlockRead(1001), "OnBlockRead", 400_400, 0},
		{"create 1000", p.OnBlockCreate(1000), "OnBlockCreate", 2_400 * g, 7_600 * g},
		{"link 100", p.OnBlockLink(100), "OnBlockLink", 1_240 * g, (506_000 + 334_000) * g},
		{"link 1 (12.4 + 3,340)", p.OnBlockLink(1), "OnBlockLink", 12_400, 509_340 * g},
		{"stat", p.OnBlockStat(), "OnBlockStat", 0, 0},
		{"self balance", p.OnSelfBalance(), "OnSelfBalance", 0, 0},
		{"balance of", p.OnBalanceOf(), "OnBalanceOf", 0, 0},
		{"resolve", p.OnResolveAddress(), "OnResolveAddress", 0, 0},
		{"lookup address", p.OnLookupAddress(), "OnLookupAddress", 0, 0},
		{"code cid", p.OnGetActorCodeCid(), "OnGetActorCodeCid", 0, 0},
		{"builtin type", p.OnGetBuiltinActorType(), "OnGetBuiltinActorType", 0, 0},
		{"code for type", p.OnGetCodeCidForType(), "OnGetCodeCidForType", 0, 0},
		{"network ctx", p.OnNetworkContext(), "OnNetworkContext", 0, 0},
		{"message ctx", p.OnMessageContext(), "OnMessageContext", 0, 0},
		{"event validate 100", p.OnActorEventValidate(100), "OnActorEventValidate", 4_490 * g, 0},
		{"event accept 88 (S=100)", p.OnActorEventAccept(88), "OnActorEventAccept", 240 * g, 1_280 * g},
		{"memory init 17 pages", p.WasmMemoryInit(17 * 65536), "wasm_memory_init", 445_644_800, 0},
		{"memory init 18 pages", p.WasmMemoryInit(18 * 65536), "wasm_memory_init", 471_859_200, 0},
		{"table init 455", p.WasmTableInit(455), "wasm_table_init", 1_456 * g, 0},
	})
	if _, ok := p.OnMethodInvocation(one, 0); ok {
		t.Error("hygge charges no OnMethodInvocation for method 0")
	}
	if _, ok := p.OnValueTransfer(zero); ok {
		t.Error("hygge charges no OnValueTransfer for value 0")
	}
	for _, code := range []uint64{0x00, 0x13, 0x99} {
		if _, ok := p.OnHashing(code, 10); ok {
			t.Errorf("hygge hash code %#x should be unsupported", code)
		}
	}
	for _, off := range []int64{0, -1, 900, 1 << 40} {
		if _, err := p.OnTipsetCid(off); !isErrno(err, errno.IllegalArgument) {
			t.Errorf("tipset offset %d: %v", off, err)
		}
	}
	want := WasmPrices{Instruction: 4000, MemoryGrowPerPage: 26_214_400, MemoryFillPerByte: 400,
		MemoryCopyPerByte: 400, TablePerElement: 3200, MemoryInitPerByte: 400, TableInitPerElem: 3200}
	if p.Exec != want {
		t.Errorf("hygge exec prices %+v, want %+v", p.Exec, want)
	}
	wantIDs := []abi.ActorID{0, 1, 2, 3, 4, 5, 6, 7, 10, 99}
	if len(p.PreloadedActors) != len(wantIDs) {
		t.Fatalf("preloaded %v", p.PreloadedActors)
	}
	for i := range wantIDs {
		if p.PreloadedActors[i] != wantIDs[i] {
			t.Fatalf("preloaded %v", p.PreloadedActors)
		}
	}
	r := p.Rules
	if !r.SplitSendCharges || !r.StateAccessCharging || !r.ReturnValueOnFailure || !r.HashAfterValidation ||
		!r.WasmInitCharges || !r.ExecLinear || r.SignedGas || r.Events != EventsValidateAccept ||
		r.LookbackPricing || r.ReachabilityCharges || r.BLSAggregate {
		t.Errorf("hygge rules %+v", r)
	}
}

func TestByName(t *testing.T) {
	for _, name := range []string{"", "oh_snap", "Skyr", "calamity"} {
		if _, err := ByName(name); err == nil {
			t.Errorf("%q: want error", name)
		}
	}
	// Deriving Hygge must not have written through to Skyr.
	if Skyr().Rules.SplitSendCharges || Skyr().HashingPerByte != nil || Skyr().Name != "skyr" {
		t.Error("skyr modified by hygge derivation")
	}
	if len(Hygge().Changes) != len(hyggeChanges) || len(Skyr().Changes) != 0 {
		t.Errorf("changes: %v", Hygge().Changes)
	}
	for _, p := range []*PriceList{Skyr(), Hygge()} {
		if err := p.check(); err != nil {
			t.Error(err)
		}
	}
	broken := *Hygge()
	broken.BlockRetentionMinPerByte = NewGas(9)
	if broken.check() == nil {
		t.Error("check accepts a broken hygge list")
	}
}

func isErrno(err error, n errno.Number) bool {
	got, ok := errno.Of(err)
	return ok && got == n && errors.Is(err, errno.New(n, ""))
}

func BenchmarkOnBlockOpenPerByte(b *testing.B) {
	p := Hygge()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = p.OnBlockOpenPerByte(i & 0xffff)
	}
}

func BenchmarkOnHashing(b *testing.B) {
	p := Hygge()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, _ = p.OnHashing(HashRipemd160, i&0xffff)
	}
}
