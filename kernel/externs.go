package kernel

import fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"

// Externs are the client callbacks the kernel needs (randomness digests,
// tipset CIDs, consensus faults); see package kernel/crypto.
type Externs = fvmcrypto.Externs

// ProofVerifier verifies seals, PoSts, aggregates and replica updates. gofvm
// ships none as a default (design.md "Proofs").
type ProofVerifier = fvmcrypto.ProofVerifier
