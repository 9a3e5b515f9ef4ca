package keys

import (
	"encoding/hex"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/crypto"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// The kernel's verifier (fvm-abi.md §3.2) accepts the signatures, refuses
// them for another message or signer, and the keys are stable.
func TestSignVerify(t *testing.T) {
	for _, k := range []*Key{Secp256k1("alice"), BLS("carol")} {
		msg := []byte("a deal proposal")
		sig, err := k.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		wantLen := map[crypto.SigType]int{crypto.SigTypeSecp256k1: 65, crypto.SigTypeBLS: 96}[k.Type]
		if len(sig.Data) != wantLen {
			t.Fatalf("%s: %d-byte signature", k.Address, len(sig.Data))
		}
		ok, err := fvmcrypto.VerifySignature(int32(k.Type), sig.Data, k.Address, msg)
		if err != nil || !ok {
			t.Fatalf("%s: valid signature refused: %v", k.Address, err)
		}
		if ok, _ := fvmcrypto.VerifySignature(int32(k.Type), sig.Data, k.Address, []byte("another")); ok {
			t.Errorf("%s: signature verifies another message", k.Address)
		}
		other := Secp256k1("bob").Address
		if k.Type == crypto.SigTypeBLS {
			other = BLS("dave").Address
		}
		if ok, _ := fvmcrypto.VerifySignature(int32(k.Type), sig.Data, other, msg); ok {
			t.Errorf("%s: signature verifies for another signer", k.Address)
		}
	}
	if Secp256k1("alice").Address != Secp256k1("alice").Address || Secp256k1("alice").Address == Secp256k1("bob").Address {
		t.Error("keys are not derived from their label")
	}
	if p := BLS("x").Address.Protocol(); p != address.BLS {
		t.Errorf("BLS key protocol %d", p)
	}
}

// The Ethereum address of the secp256k1 key with secret 1 (the generator
// point) is 0x7e5f4552091a69125d5dfcb7b8c2659029395bdf, a published value.
func TestEthAddress(t *testing.T) {
	var one [32]byte
	one[31] = 1
	k := &Key{Type: crypto.SigTypeSecp256k1, secp: secp256k1.PrivKeyFromBytes(one[:])}
	eth, err := k.EthAddress()
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(eth[:]); got != "7e5f4552091a69125d5dfcb7b8c2659029395bdf" {
		t.Fatalf("eth address %s", got)
	}
	if F410(eth).Protocol() != address.Delegated {
		t.Fatal("not an f4")
	}
}
