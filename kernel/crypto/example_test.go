package fvmcrypto_test

import (
	"encoding/hex"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"golang.org/x/crypto/blake2b"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// A Filecoin secp256k1 signature is over blake2b-256 of the plaintext and is
// laid out r ‖ s ‖ v, recovery id last.
func ExampleVerifySignature() {
	priv := secp256k1.PrivKeyFromBytes([]byte("an example private key, 32 bytes"))
	signer, _ := address.NewSecp256k1Address(priv.PubKey().SerializeUncompressed())

	plaintext := []byte("deal proposal bytes")
	digest := blake2b.Sum256(plaintext)
	compact := ecdsa.SignCompact(priv, digest[:], false) // decred: v ‖ r ‖ s, v = 27 + id
	sig := append(compact[1:65:65], compact[0]-27)

	ok, err := fvmcrypto.VerifySignature(fvmcrypto.SigTypeSecp256k1, sig, signer, plaintext)
	fmt.Println(ok, err)
	ok, err = fvmcrypto.VerifySignature(fvmcrypto.SigTypeSecp256k1, sig, signer, []byte("something else"))
	fmt.Println(ok, err)
	_, err = fvmcrypto.VerifySignature(3, sig, signer, plaintext)
	fmt.Println(err)
	// Output:
	// true <nil>
	// false <nil>
	// IllegalArgument: unknown signature type 3
}

func ExampleDeriveRandomness() {
	var digest [32]byte // the raw chain digest the client's Externs returned
	copy(digest[:], "i_am_random_____i_am_random_____")
	r := fvmcrypto.DeriveRandomness(2, digest, 1000, []byte("entropy"))
	fmt.Println(len(r), r != digest)
	// Output: 32 true
}

func ExampleHash() {
	d, ok := fvmcrypto.Hash(fvmcrypto.HashKeccak256, []byte("abc"))
	fmt.Println(ok, hex.EncodeToString(d))
	_, ok = fvmcrypto.Hash(0x13, []byte("abc")) // sha2-512: not an FVM hash
	fmt.Println(ok)
	// Output:
	// true 4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45
	// false
}

func ExampleComputeUnsealedSectorCID() {
	// A committed-capacity (no deals) 32 GiB sector.
	c, err := fvmcrypto.ComputeUnsealedSectorCID(abi.RegisteredSealProof_StackedDrg32GiBV1_1, nil)
	fmt.Println(c, err)
	// Output: baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq <nil>
}

func ExampleTrustAllProofsForConformanceVectorsOnly() {
	var zero fvmcrypto.TrustingVerifier // not armed: refuses to answer
	_, err := zero.VerifySeal(nil)
	fmt.Println(err != nil)

	v := fvmcrypto.TrustAllProofsForConformanceVectorsOnly()
	ok, err := v.VerifySeal(nil)
	fmt.Println(ok, err, v)
	// Output:
	// true
	// true <nil> TRUSTING proof verifier (every proof valid; conformance vectors only)
}
