// Package fvmcrypto holds the pure cryptographic operations behind the FVM's
// crypto and rand syscall families (fvm-abi.md §3.2): signature verification
// (secp256k1 and BLS12-381), public-key recovery, the five supported hashes,
// the unsealed-sector commitment (CommD), and the randomness derivation
// (conformance.md §1.5). It also declares the two interfaces an embedding
// client implements: Externs (chain and beacon digests, tipset CIDs,
// consensus faults) and ProofVerifier (seal, PoSt, aggregate and
// replica-update proofs).
//
// Nothing here charges gas or reads wasm memory: the kernel charges the price
// list (fvm-gas.md §2) before calling in, and maps the errors returned here,
// all of which are *errno.Error with number IllegalArgument, straight to the
// actor, as the reference does.
//
// Everything is pure Go (CGO_ENABLED=0): secp256k1 from decred, BLS12-381
// from gnark-crypto, hashes from the standard library and x/crypto.
package fvmcrypto
