package kernel

import (
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/filecoin-project/go-state-types/proof"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// runInActor applies one message to a Go actor and returns what it saw.
func runInActor(t *testing.T, nv network.Version, opts []Option, body func(k *invocationKernel)) *ApplyRet {
	t.Helper()
	f := newFixture(t, nv)
	sender := secpAddr(t, 1)
	f.addAccount(sender, 1_000_000_000_000_000)
	a := f.addActor("probe", 0, func(k *invocationKernel, _ uint32) Outcome {
		body(k)
		return Outcome{Kind: Returned}
	})
	m := f.machine(opts...)
	msg := baseMsg(sender, idAddr(a))
	msg.Method = 2
	msg.GasLimit = 1_000_000_000
	msg.GasFeeCap = big.NewInt(150)
	msg.GasPremium = big.NewInt(80)
	return apply(t, m, msg)
}

// cost runs f and returns the milligas it charged.
func cost(k *invocationKernel, f func()) gas.Gas {
	before := k.GasTracker().Used()
	f()
	return k.GasTracker().Used() - before
}

// Context syscalls (§3.2 vm, network): values from the machine options and
// the message; the nv18 premium is the effective one, min(80, 150 − 100).
func TestContextFamilies(t *testing.T) {
	opts := []Option{WithCirculatingSupply(big.NewInt(12345)), WithTimestamp(30_000), WithChainID(314159)}
	runInActor(t, network.Version17, opts, func(k *invocationKernel) {
		ic, err := k.InvocationContext()
		if err != nil || ic.Caller != 100 || ic.Receiver != k.receiver || ic.MethodNumber != 2 ||
			ic.NetworkCurrEpoch != 1000 || ic.NetworkVersion != 17 || !ic.ValueReceived.IsZero() {
			t.Errorf("invocation context %+v, %v", ic, err)
		}
		bf, _ := k.BaseFee()
		cs, _ := k.TotalFilCircSupply()
		if !bf.Equals(big.NewInt(100)) || !cs.Equals(big.NewInt(12345)) {
			t.Errorf("base fee %s, circ supply %s", bf, cs)
		}
	})
	runInActor(t, network.Version18, opts, func(k *invocationKernel) {
		mc, err := k.MessageContext()
		if err != nil || mc.Origin != 100 || mc.Caller != 100 || mc.Nonce != 0 || !mc.GasPremium.Equals(big.NewInt(50)) || mc.Flags != 0 {
			t.Errorf("message context %+v, %v", mc, err)
		}
		nc, err := k.NetworkContext()
		if err != nil || nc.Epoch != 1000 || nc.Timestamp != 30_000 || nc.ChainID != 314159 || nc.NetworkVersion != 18 ||
			!nc.BaseFee.Equals(big.NewInt(100)) {
			t.Errorf("network context %+v, %v", nc, err)
		}
	})
	// A circulating supply beyond u128 is fatal (§3.2 network).
	huge := big.Lsh(big.NewInt(1), 128)
	runInActor(t, network.Version17, []Option{WithCirculatingSupply(huge)}, func(k *invocationKernel) {
		if _, err := k.TotalFilCircSupply(); err == nil || errnoOK(err) {
			t.Errorf("u128 overflow: %v, want a fatal error", err)
		}
	})
}

func errnoOK(err error) bool { _, ok := errno.Of(err); return ok }

// Crypto and proof charges (§10): v2 hashing is flat and charged before the
// code check; v3 is per byte and checks first. Proofs without a verifier
// are IllegalArgument after their charge; aggregates with no infos too.
func TestCryptoFamilies(t *testing.T) {
	for _, nv := range bothVersions {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			v3 := nv == network.Version18
			runInActor(t, nv, nil, func(k *invocationKernel) {
				var err error
				c := cost(k, func() { _, err = k.Hash(0x99, []byte("abc")) })
				wantC := gas.NewGas(31_355)
				if v3 {
					wantC = 0
				}
				if !isErrno(err, errno.IllegalArgument) || c != wantC {
					t.Errorf("unknown hash: %v, %d mg; want IllegalArgument, %d", err, c, wantC)
				}
				var d []byte
				c = cost(k, func() { d, err = k.Hash(0xb220, []byte("abc")) })
				wantC = gas.NewGas(31_355)
				if v3 {
					wantC = gas.NewGas(30) // 10 per byte
				}
				if err != nil || len(d) != 32 || c != wantC {
					t.Errorf("blake2b: %v, %d bytes, %d mg; want %d", err, len(d), c, wantC)
				}
				c = cost(k, func() { _, err = k.VerifySeal(&proof.SealVerifyInfo{}) })
				if !isErrno(err, errno.IllegalArgument) || c != gas.NewGas(2_000) {
					t.Errorf("seal without verifier: %v, %d mg", err, c)
				}
				info := &proof.WindowPoStVerifyInfo{ChallengedSectors: make([]proof.SectorInfo, 2)}
				c = cost(k, func() { _, err = k.VerifyPost(info) })
				if !isErrno(err, errno.IllegalArgument) || c != gas.NewGas(117_680_921+2*43_780) {
					t.Errorf("post without verifier: %v, %d mg", err, c)
				}
				c = cost(k, func() { _, err = k.VerifyAggregateSeals(&proof.AggregateSealVerifyProofAndInfos{}) })
				if !isErrno(err, errno.IllegalArgument) || c != 0 {
					t.Errorf("empty aggregate: %v, %d mg (per-proof × 0 + step(0) = 0)", err, c)
				}
				var res []bool
				c = cost(k, func() { res, err = k.BatchVerifySeals(make([]proof.SealVerifyInfo, 3)) })
				wantC = 0
				if v3 {
					wantC = gas.NewGas(3 * 2_000)
				}
				if err != nil || len(res) != 3 || res[0] || c != wantC {
					t.Errorf("batch without verifier: %v %v, %d mg; want 3 × false, %d", res, err, c, wantC)
				}
			})
			trusting := []Option{WithProofVerifier(fvmcrypto.TrustAllProofsForConformanceVectorsOnly())}
			runInActor(t, nv, trusting, func(k *invocationKernel) {
				ok, err := k.VerifyReplicaUpdate(&proof.ReplicaUpdateInfo{})
				if !ok || err != nil {
					t.Errorf("trusting verifier: %v, %v", ok, err)
				}
				var c abi.RegisteredSealProof = abi.RegisteredSealProof_StackedDrg32GiBV1_1
				agg := &proof.AggregateSealVerifyProofAndInfos{SealProof: c, Infos: make([]proof.AggregateSealVerifyInfo, 4)}
				g := cost(k, func() { ok, err = k.VerifyAggregateSeals(agg) })
				if !ok || err != nil || g != gas.NewGas(4*449_900+103_994_170) {
					t.Errorf("aggregate of 4: %v %v, %d mg", ok, err, g)
				}
			})
		})
	}
}

// Randomness (§3.2 rand): OnGetRandomness (v2 21,000; v3 21,000 + 10 ×
// (entropy + 48)), and no externs is IllegalArgument.
func TestRandomness(t *testing.T) {
	for _, nv := range bothVersions {
		runInActor(t, nv, []Option{WithExterns(vectorExterns{})}, func(k *invocationKernel) {
			var r [32]byte
			var err error
			c := cost(k, func() { r, err = k.GetChainRandomness(1, 900, []byte("entropy")) })
			want := gas.NewGas(21_000)
			if nv == network.Version18 {
				want = gas.NewGas(21_000 + 10*(7+48))
			}
			if err != nil || r == ([32]byte{}) || c != want {
				t.Errorf("nv%d: randomness %x, %v, %d mg; want %d", nv, r, err, c, want)
			}
		})
		runInActor(t, nv, nil, func(k *invocationKernel) {
			if _, err := k.GetBeaconRandomness(1, 900, nil); !isErrno(err, errno.IllegalArgument) {
				t.Errorf("nv%d: without externs: %v", nv, err)
			}
		})
	}
}
