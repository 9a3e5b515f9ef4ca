package fvmcrypto

import (
	"errors"
	"testing"

	"github.com/filecoin-project/go-address"

	"github.com/gofvm/gofvm/kernel/errno"
)

func TestVerifySignatureArgumentErrors(t *testing.T) {
	sk := newSecpKey(t, 5)
	msg := []byte("m")
	sig := sk.sign(msg)
	id, _ := address.NewIDAddress(1234)
	actor, _ := address.NewActorAddress([]byte("actor"))
	delegated, _ := address.NewDelegatedAddress(10, make([]byte, 20))
	cases := []struct {
		name    string
		sigType int32
		signer  address.Address
	}{
		{"sig type 0", 0, sk.addr},
		{"sig type 3", 3, sk.addr},
		{"sig type -1", -1, sk.addr},
		{"sig type 0x101 (a u8 cast would wrap to 1)", 0x101, sk.addr},
		{"f0 signer", SigTypeSecp256k1, id},
		{"f2 signer", SigTypeSecp256k1, actor},
		{"f4 signer", SigTypeBLS, delegated},
		{"undefined signer", SigTypeSecp256k1, address.Undef},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, err := VerifySignature(c.sigType, sig, c.signer, msg)
			if ok || err == nil {
				t.Fatalf("got %v, %v; want an error", ok, err)
			}
			if !errors.Is(err, errno.New(errno.IllegalArgument, "")) {
				t.Fatalf("error %v is not IllegalArgument", err)
			}
		})
	}
}

// A valid signature of one type presented as the other is merely invalid.
func TestVerifySignatureTypeMismatch(t *testing.T) {
	sk, bk := newSecpKey(t, 6), newBLSKey(t, 6)
	msg := []byte("mismatch")
	secpSig, blsSig := sk.sign(msg), bk.sign(t, msg)
	for _, c := range []struct {
		name    string
		sigType int32
		sig     []byte
		signer  address.Address
	}{
		{"secp sig, type BLS, f1 signer", SigTypeBLS, secpSig, sk.addr},
		{"BLS sig, type secp, f3 signer", SigTypeSecp256k1, blsSig, bk.addr},
		{"BLS sig, type BLS, f1 signer", SigTypeBLS, blsSig, sk.addr},
		{"secp sig, type secp, f3 signer", SigTypeSecp256k1, secpSig, bk.addr},
	} {
		ok, err := VerifySignature(c.sigType, c.sig, c.signer, msg)
		if ok || err != nil {
			t.Errorf("%s: got %v, %v; want false, nil", c.name, ok, err)
		}
	}
	for _, c := range []struct {
		sigType int32
		sig     []byte
		signer  address.Address
	}{{SigTypeSecp256k1, secpSig, sk.addr}, {SigTypeBLS, blsSig, bk.addr}} {
		if ok, err := VerifySignature(c.sigType, c.sig, c.signer, msg); !ok || err != nil {
			t.Errorf("control type %d: %v, %v", c.sigType, ok, err)
		}
	}
}
