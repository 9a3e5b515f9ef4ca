package kernel

import (
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/filecoin-project/go-state-types/proof"

	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/rules"
)

// The kernel's charges must total what kernel/gas's lists say: two
// independent transcriptions of fvm-gas.md §2 checked against each other.
func TestPricesAgreeWithGasPackage(t *testing.T) {
	for _, nv := range bothVersions {
		pl := rules.MustFor(nv).Prices
		p := sheetPricesFor(nv >= network.Version18)
		mustOK := func(c gas.Charge, ok bool) gas.Charge { return c }
		mustErr := func(c gas.Charge, err error) gas.Charge { return c }
		agg := &proof.AggregateSealVerifyProofAndInfos{Infos: make([]proof.AggregateSealVerifyInfo, 13)}
		post := &proof.WindowPoStVerifyInfo{ChallengedSectors: make([]proof.SectorInfo, 3)}
		v0, v1 := big.Zero(), big.NewInt(1)
		for _, n := range []int{0, 1, 77, 4096} {
			pairs := []struct {
				name       string
				mine, them gas.Charge
			}{
				{"OnChainMessage", p.OnChainMessage(n), pl.OnChainMessage(n)},
				{"OnChainReturnValue", p.OnChainReturnValue(n), pl.OnChainReturnValue(n)},
				{"OnBlockOpenBase", p.OnBlockOpenBase(), pl.OnBlockOpenBase()},
				{"OnBlockOpenPerByte", p.OnBlockOpenPerByte(n), pl.OnBlockOpenPerByte(n)},
				{"OnBlockRead", p.OnBlockRead(n), pl.OnBlockRead(n)},
				{"OnBlockCreate", p.OnBlockCreate(n), pl.OnBlockCreate(n)},
				{"OnBlockLink", p.OnBlockLink(n), pl.OnBlockLink(n)},
				{"OnCreateActor(true)", p.OnCreateActor(true), pl.OnCreateActor(true)},
				{"OnCreateActor(false)", p.OnCreateActor(false), pl.OnCreateActor(false)},
				{"OnDeleteActor", p.OnDeleteActor(), pl.OnDeleteActor()},
				{"OnVerifySignature secp", p.OnVerifySignature(1, n), mustErr(pl.OnVerifySignature(crypto.SigTypeSecp256k1, n))},
				{"OnVerifySignature bls", p.OnVerifySignature(2, n), mustErr(pl.OnVerifySignature(crypto.SigTypeBLS, n))},
				{"OnRecoverSecpPublicKey", p.OnRecoverSecpPublicKey(), pl.OnRecoverSecpPublicKey()},
				{"OnGetRandomness", p.OnGetRandomness(n), pl.OnGetRandomness(n)},
				{"OnVerifyConsensusFault", p.OnVerifyConsensusFault(), pl.OnVerifyConsensusFault()},
				{"OnVerifySeal", p.OnVerifySeal(), pl.OnVerifySeal()},
				{"OnVerifyReplicaUpdate", p.OnVerifyReplicaUpdate(), pl.OnVerifyReplicaUpdate()},
				{"OnVerifyPost", p.OnVerifyPost(3), pl.OnVerifyPost(post)},
				{"OnVerifyAggregateSeals", p.OnVerifyAggregateSeals(agg.SealProof, 13), pl.OnVerifyAggregateSeals(agg)},
				{"OnComputeUnsealedSectorCid", p.OnComputeUnsealedSectorCid(), pl.OnComputeUnsealedSectorCid(0, nil)},
				{"OnMethodInvocation 0/0", p.OnMethodInvocation(v0, 0), mustOK(pl.OnMethodInvocation(v0, 0))},
				{"OnMethodInvocation 1/0", p.OnMethodInvocation(v1, 0), mustOK(pl.OnMethodInvocation(v1, 0))},
				{"OnMethodInvocation 0/2", p.OnMethodInvocation(v0, 2), mustOK(pl.OnMethodInvocation(v0, 2))},
				{"OnMethodInvocation 1/2", p.OnMethodInvocation(v1, 2), mustOK(pl.OnMethodInvocation(v1, 2))},
			}
			if nv >= network.Version18 {
				pairs = append(pairs, []struct {
					name       string
					mine, them gas.Charge
				}{
					{"OnValueTransfer", p.OnValueTransfer(), mustOK(pl.OnValueTransfer(v1))},
					{"OnActorLookup", p.OnActorLookup(), pl.OnActorLookup()},
					{"OnActorUpdate", p.OnActorUpdate(), pl.OnActorUpdate()},
					{"OnActorEventValidate", p.OnActorEventValidate(n), pl.OnActorEventValidate(n)},
					{"OnTipsetCid(1)", p.OnTipsetCid(1), mustErr(pl.OnTipsetCid(1))},
					{"OnTipsetCid(2)", p.OnTipsetCid(2), mustErr(pl.OnTipsetCid(2))},
					{"wasm_memory_init", p.wasmMemoryInit(uint64(n) * 65536), pl.WasmMemoryInit(int64(n) * 65536)},
					{"wasm_table_init", p.wasmTableInit(uint64(n)), pl.WasmTableInit(int64(n))},
				}...)
				for _, code := range []uint64{0x12, 0xb220, 0xb240, 0x1b, 0x1053} {
					mine, _ := p.OnHashing(code, n)
					them, _ := pl.OnHashing(code, n)
					pairs = append(pairs, struct {
						name       string
						mine, them gas.Charge
					}{fmt.Sprintf("OnHashing %#x", code), mine, them})
				}
			}
			for _, c := range pairs {
				if nv >= network.Version18 && (c.name == "OnMethodInvocation 0/0" || c.name == "OnMethodInvocation 1/0") {
					continue // nv18 charges no invocation for method 0; the kernel never asks
				}
				if c.mine.Total() != c.them.Total() {
					t.Errorf("nv%d n=%d %s: kernel %d mg, kernel/gas %d mg", nv, n, c.name, c.mine.Total(), c.them.Total())
				}
			}
		}
	}
}
