package kernel

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/network"
	"golang.org/x/crypto/blake2b"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// fvm-abi-next.md §14 scenario 31 and §7.15: at every network version a
// low-S secp256k1 signature (s, v) and its malleated twin (n − s, v ⊕ 1)
// both verify for the same f1 address, and recover_secp_public_key
// returns the same 65-byte key for both.
func TestSecpHighSAtEveryVersion(t *testing.T) {
	priv := secp256k1.PrivKeyFromBytes(bytes.Repeat([]byte{0x17}, 32))
	pub := priv.PubKey().SerializeUncompressed()
	signer, err := address.NewSecp256k1Address(pub)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("malleable")
	digest := blake2b.Sum256(msg)
	compact := ecdsa.SignCompact(priv, digest[:], false) // v ‖ r ‖ s, v = 27 + id
	low := append(bytes.Clone(compact[1:]), compact[0]-27)
	var s secp256k1.ModNScalar
	s.SetByteSlice(low[32:64])
	if s.IsOverHalfOrder() {
		t.Fatal("decred signed with a high S")
	}
	s.Negate()
	sb := s.Bytes()
	high := bytes.Clone(low)
	copy(high[32:64], sb[:])
	high[64] ^= 1
	for nv := network.Version16; nv <= network.Version28; nv++ {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			f := newFixture(t, nv)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000)
			var results []string
			code := f.codes["multisig"]
			f.engine.actors[code] = func(k *invocationKernel, _ uint32) Outcome {
				for _, sig := range [][]byte{low, high} {
					ok, err := k.VerifySignature(fvmcrypto.SigTypeSecp256k1, sig, signer, msg)
					key, rerr := k.RecoverSecpPublicKey(digest, [65]byte(sig))
					results = append(results, fmt.Sprintf("%v %v %v %v", ok, err, bytes.Equal(key[:], pub), rerr))
				}
				return Outcome{Kind: Returned}
			}
			probe := f.addActor("multisig", 0, nil)
			m := f.machine()
			msg := baseMsg(sender, idAddr(probe))
			msg.Method, msg.GasLimit = 2, 100_000_000
			if ret := apply(t, m, msg); ret.Receipt.ExitCode != 0 {
				t.Fatalf("exit %d (%s)", ret.Receipt.ExitCode, ret.FailureInfo)
			}
			for i, r := range results {
				if r != "true <nil> true <nil>" {
					t.Errorf("signature %d (0 low-S, 1 high-S): valid, error, same key, recovery error = %s", i, r)
				}
			}
			if len(results) != 2 {
				t.Fatalf("%d results", len(results))
			}
		})
	}
}
