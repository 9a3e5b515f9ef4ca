package fvmcrypto_test

import (
	"encoding/hex"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

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
