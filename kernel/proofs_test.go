package kernel

import (
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// postVerifier records the Window PoSt it is asked about and says valid.
type postVerifier struct {
	asked []proof.WindowPoStVerifyInfo
}

func (v *postVerifier) VerifyPoSt(info *proof.WindowPoStVerifyInfo) (bool, error) {
	v.asked = append(v.asked, *info)
	return true, nil
}
func (*postVerifier) VerifySeal(*proof.SealVerifyInfo) (bool, error) { return true, nil }
func (*postVerifier) VerifyAggregateSeals(*proof.AggregateSealVerifyProofAndInfos) (bool, error) {
	return true, nil
}
func (*postVerifier) VerifyReplicaUpdate(*proof.ReplicaUpdateInfo) (bool, error) { return true, nil }
func (*postVerifier) BatchVerifySeals(infos []proof.SealVerifyInfo) ([]bool, error) {
	return make([]bool, len(infos)), nil
}

// Window PoSt proof ids (fvm-abi-next.md §7.14): V1 5–9, V1P1 10–14; seal
// proofs V1 0–4, V1P1 5–9, Synthetic PoRep 10–14 (2 KiB … 64 GiB in each).
const (
	postV1_32GiB    = abi.RegisteredPoStProof(8)
	postV1P1_32GiB  = abi.RegisteredPoStProof(13)
	postV1P1_64GiB  = abi.RegisteredPoStProof(14)
	winning32GiB    = abi.RegisteredPoStProof(3)
	seal32GiBV1P1   = abi.RegisteredSealProof(8)
	seal64GiBV1P1   = abi.RegisteredSealProof(9)
	seal32GiBV1     = abi.RegisteredSealProof(3)
	seal32GiBSynth  = abi.RegisteredSealProof(13)
	verifyPostGas10 = 117_680_921 + 43_780*10 // fvm-abi-next.md §7.14, fvm-gas-next.md §10 example 24
)

func post(sealProof abi.RegisteredSealProof, types ...abi.RegisteredPoStProof) *proof.WindowPoStVerifyInfo {
	info := &proof.WindowPoStVerifyInfo{Randomness: make([]byte, 32), Prover: 1000}
	for _, t := range types {
		info.Proofs = append(info.Proofs, proof.PoStProof{PoStProof: t, ProofBytes: []byte{1}})
	}
	for i := 0; i < 10; i++ {
		info.ChallengedSectors = append(info.ChallengedSectors, proof.SectorInfo{SealProof: sealProof,
			SectorNumber: abi.SectorNumber(i), SealedCID: testSealedCID})
	}
	return info
}

var testSealedCID = func() cid.Cid {
	c, _ := cid.V1Builder{Codec: 0xf102, MhType: 0x1012}.Sum([]byte("sealed"))
	return c
}()

// fvm-abi-next.md §14 scenario 24, the v3 parts (3.14.1 at nv18–20), and
// the FVM v2 line: every call pays 117,680,921 + 43,780·10 first; then a V1
// proof verifies on both lines, V1P1 only on v3; on v3 two proofs of
// different types, or a 64 GiB sector under a 32 GiB V1P1 proof, are
// IllegalArgument, and so is an empty proof list; winning proofs are refused
// everywhere. Refused calls never reach the verifier.
func TestVerifyPostPerRules(t *testing.T) {
	for _, c := range []struct {
		name  string
		info  *proof.WindowPoStVerifyInfo
		v2ok  bool
		v3ok  bool
		v3why string
	}{
		{"V1", post(seal32GiBV1P1, postV1_32GiB), true, true, ""},
		{"V1 on V1 seals", post(seal32GiBV1, postV1_32GiB), true, true, ""},
		{"V1P1", post(seal32GiBV1P1, postV1P1_32GiB), false, true, ""},
		{"V1P1 on synthetic seals", post(seal32GiBSynth, postV1P1_32GiB), false, true, ""},
		{"two types", post(seal32GiBV1P1, postV1P1_32GiB, postV1_32GiB), false, false, "mixed types"},
		{"64GiB sectors, 32GiB proof", post(seal64GiBV1P1, postV1P1_32GiB), false, false, "seal type"},
		{"64GiB V1P1 on 64GiB sectors", post(seal64GiBV1P1, postV1P1_64GiB), false, true, ""},
		{"no proofs", post(seal32GiBV1P1), true, false, "empty"},
		{"winning proof", post(seal32GiBV1P1, winning32GiB), false, false, "not a window post"},
	} {
		for _, nv := range []network.Version{16, 17, 18, 19, 20} {
			t.Run(fmt.Sprintf("%s/nv%d", c.name, nv), func(t *testing.T) {
				v := &postVerifier{}
				want := c.v3ok
				if nv <= network.Version17 {
					want = c.v2ok
				}
				ok, err, charged := runVerifyPost(t, nv, v, c.info)
				if charged != verifyPostGas10 {
					t.Errorf("charged %d gas, want %d", charged, verifyPostGas10)
				}
				if want {
					if err != nil || !ok || len(v.asked) != 1 {
						t.Fatalf("verify_post = %v, %v (verifier asked %d times)", ok, err, len(v.asked))
					}
					return
				}
				if n, isErrno := errno.Of(err); !isErrno || n != errno.IllegalArgument || len(v.asked) != 0 {
					t.Fatalf("verify_post = %v, %v (verifier asked %d times), want IllegalArgument", ok, err, len(v.asked))
				}
			})
		}
	}
}

// runVerifyPost calls the kernel's VerifyPost in an invocation at nv and
// returns its answer and the whole gas it charged.
func runVerifyPost(t *testing.T, nv network.Version, v *postVerifier, info *proof.WindowPoStVerifyInfo,
	opts ...Option) (ok bool, err error, charged int64) {
	f := newFixture(t, nv)
	sender := secpAddr(t, 1)
	f.addAccount(sender, 1_000_000_000_000_000)
	a := f.addActor("post", 0, func(k *invocationKernel, _ uint32) Outcome {
		before := k.cm.gas.Used()
		ok, err = k.VerifyPost(info)
		charged = (k.cm.gas.Used() - before).RoundUp()
		return Outcome{Kind: Returned}
	})
	m := f.machine(append([]Option{WithProofVerifier(v)}, opts...)...)
	msg := baseMsg(sender, idAddr(a))
	msg.Method = 2
	msg.GasLimit = 1_000_000_000
	if ret := apply(t, m, msg); ret.Receipt.ExitCode != 0 {
		t.Fatalf("exit %d (%s)", ret.Receipt.ExitCode, ret.FailureInfo)
	}
	return ok, err, charged
}

// fvm-abi-next.md §7.14: on calibnet (chain id 314159) up to epoch 498,691,
// 3.14.1 verifies a first proof of type 32GiB V1P1 as 32GiB V1; mainnet
// (chain id 314) and later epochs are untouched. The fix-up comes before the
// one-type check, so a second V1P1 proof then fails it.
func TestVerifyPostCalibnetFixup(t *testing.T) {
	for _, c := range []struct {
		name    string
		chainID uint64
		epoch   abi.ChainEpoch
		proofs  int
		asked   abi.RegisteredPoStProof // 0: IllegalArgument
	}{
		{"calibnet", 314159, 498_691, 1, postV1_32GiB},
		{"calibnet later", 314159, 498_692, 1, postV1P1_32GiB},
		{"mainnet", 314, 1000, 1, postV1P1_32GiB},
		{"calibnet two proofs", 314159, 1000, 2, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := &postVerifier{}
			types := []abi.RegisteredPoStProof{postV1P1_32GiB, postV1P1_32GiB}[:c.proofs]
			info := post(seal32GiBV1P1, types...)
			ok, err, _ := runVerifyPost(t, network.Version18, v, info, WithChainID(c.chainID), WithEpoch(c.epoch))
			if c.asked == 0 {
				if n, _ := errno.Of(err); n != errno.IllegalArgument || len(v.asked) != 0 {
					t.Fatalf("verify_post = %v, %v", ok, err)
				}
				return
			}
			if err != nil || !ok || len(v.asked) != 1 || v.asked[0].Proofs[0].PoStProof != c.asked {
				t.Fatalf("verify_post = %v, %v; verifier saw %+v", ok, err, v.asked)
			}
			if info.Proofs[0].PoStProof != postV1P1_32GiB {
				t.Fatal("the actor's info was changed")
			}
		})
	}
}

// fvm-abi-next.md §7.14: Synthetic PoRep seal ids 10–14 decode from 3.8.0
// (nv18–20 on 3.14.1) and not on FVM v2; compute_unsealed_sector_cid takes
// them by sector size (the 32 GiB one gives the 32 GiB V1P1 CommD).
func TestComputeUnsealedSectorCidSyntheticPoRep(t *testing.T) {
	for _, nv := range []network.Version{16, 17, 18, 19, 20} {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			f := newFixture(t, nv)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000_000)
			var synth, v1p1 cid.Cid
			var synthErr error
			var charged gas.Gas
			a := f.addActor("commd", 0, func(k *invocationKernel, _ uint32) Outcome {
				v1p1, _ = k.ComputeUnsealedSectorCid(seal32GiBV1P1, nil)
				before := k.cm.gas.Used()
				synth, synthErr = k.ComputeUnsealedSectorCid(seal32GiBSynth, nil)
				charged = k.cm.gas.Used() - before
				return Outcome{Kind: Returned}
			})
			m := f.machine()
			msg := baseMsg(sender, idAddr(a))
			msg.Method = 2
			msg.GasLimit = 100_000_000
			if ret := apply(t, m, msg); ret.Receipt.ExitCode != 0 {
				t.Fatalf("exit %d (%s)", ret.Receipt.ExitCode, ret.FailureInfo)
			}
			if nv <= network.Version17 {
				if n, _ := errno.Of(synthErr); n != errno.IllegalArgument || charged != 0 {
					t.Fatalf("synthetic id at nv%d: %v, charged %d", nv, synthErr, charged)
				}
				return
			}
			if synthErr != nil || !synth.Defined() || synth != v1p1 {
				t.Fatalf("synthetic CommD %s, %v; V1P1 %s", synth, synthErr, v1p1)
			}
		})
	}
}
