package actors

import (
	"encoding/binary"
	"testing"

	"github.com/filecoin-project/go-address"
	"golang.org/x/crypto/blake2b"
)

// f2 by hand: blake2b-160 over the CBOR byte-string header, the address
// bytes, nonce BE and counter BE (fvm-abi.md §6.7).
func handF2(t *testing.T, origin address.Address, nonce, counter uint64) address.Address {
	t.Helper()
	ab := origin.Bytes()
	var in []byte
	if len(ab) < 24 {
		in = append(in, 0x40|byte(len(ab)))
	} else {
		in = append(in, 0x58, byte(len(ab)))
	}
	in = append(in, ab...)
	in = binary.BigEndian.AppendUint64(in, nonce)
	in = binary.BigEndian.AppendUint64(in, counter)
	h, _ := blake2b.New(20, nil)
	h.Write(in)
	a, err := address.NewFromBytes(append([]byte{byte(address.Actor)}, h.Sum(nil)...))
	if err != nil {
		t.Fatal(err)
	}
	// And through go-address's own constructor over the same input.
	b, err := address.NewActorAddress(in)
	if err != nil || b != a {
		t.Fatalf("go-address disagrees: %s vs %s", b, a)
	}
	return a
}

func TestActorAddressDerivation(t *testing.T) {
	secp := secpAddr(t, "origin")
	bls, err := address.NewBLSAddress(make([]byte, 48))
	if err != nil {
		t.Fatal(err)
	}
	id := idAddr(t, 1234)
	for _, c := range []struct {
		origin         address.Address
		nonce, counter uint64
	}{
		{secp, 0, 0}, {secp, 213679, 1}, {bls, 7, 0}, {bls, 1 << 40, 3},
	} {
		got, err := NewActorAddressV2(c.origin, c.nonce, c.counter)
		if err != nil {
			t.Fatal(err)
		}
		if want := handF2(t, c.origin, c.nonce, c.counter); got != want {
			t.Errorf("v2 %s/%d/%d: %s want %s", c.origin, c.nonce, c.counter, got, want)
		}
		v3, _ := NextActorAddressV3(c.origin, c.nonce, c.counter)
		if v3 != got {
			t.Errorf("v3 and v2 differ for a key origin")
		}
		if got.Protocol() != address.Actor {
			t.Errorf("protocol %d", got.Protocol())
		}
	}
	// v3 takes msg.from as written, ID addresses included; v2 refuses them.
	if _, err := NewActorAddressV2(id, 1, 0); err == nil {
		t.Error("v2 accepted an ID origin")
	}
	got, err := NextActorAddressV3(id, 1, 0)
	if err != nil || got != handF2(t, id, 1, 0) {
		t.Errorf("v3 ID origin: %s %v", got, err)
	}
	// Nonce and counter both change the result.
	a, _ := NewActorAddressV2(secp, 1, 0)
	b, _ := NewActorAddressV2(secp, 0, 1)
	if a == b {
		t.Error("nonce and counter are not distinguished")
	}
}
