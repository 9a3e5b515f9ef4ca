package rules

import "github.com/filecoin-project/go-state-types/abi"

// Proof ids the FVM decodes (fvm-abi-next.md §7.14; fvm_shared
// sector/registered_proof.rs at each tag). Seal proofs: 0–4 V1 and 5–9
// V1P1 everywhere, 10–14 Synthetic PoRep (Rules.SyntheticPoRep), 15–19
// NI-PoRep (Rules.NiPoRep). Window PoSt: 5–9 V1 (Rules.PoStV1), 10–14 V1P1
// (Rules.PoStV1P1). Within each group of five the sector size runs 2 KiB,
// 8 MiB, 512 MiB, 32 GiB, 64 GiB.
const (
	sealSynthetic = 10
	sealNiPoRep   = 15
	postWindowV1  = 5
	postWindowV11 = 10
)

// SealProofKnown reports whether a seal proof id decodes at this version;
// an unknown one is RegisteredSealProof::Invalid, which the syscalls refuse
// with IllegalArgument where they check it.
func (r *Rules) SealProofKnown(p abi.RegisteredSealProof) bool {
	switch {
	case p < 0:
		return false
	case p < sealSynthetic:
		return true
	case p < sealNiPoRep:
		return r.SyntheticPoRep
	case p < sealNiPoRep+5:
		return r.NiPoRep
	}
	return false
}

// SealSizeClass is a known seal proof's sector size as its position in 2 KiB,
// 8 MiB, 512 MiB, 32 GiB, 64 GiB (0–4); ok is false for an unknown id.
func (r *Rules) SealSizeClass(p abi.RegisteredSealProof) (class int, ok bool) {
	if !r.SealProofKnown(p) {
		return 0, false
	}
	return int(p) % 5, true
}

// WindowPoStAccepted reports whether verify_post takes a Window PoSt proof
// id: V1 with Rules.PoStV1, V1P1 with Rules.PoStV1P1. Anything else
// (winning proofs, unknown ids) fails with IllegalArgument.
func (r *Rules) WindowPoStAccepted(p abi.RegisteredPoStProof) bool {
	switch {
	case p >= postWindowV1 && p < postWindowV1+5:
		return r.PoStV1
	case p >= postWindowV11 && p < postWindowV11+5:
		return r.PoStV1P1
	}
	return false
}

// WindowPoStMatchesSeal is the 3.2.0+ check that a challenged sector's seal
// proof fits the PoSt proof: the seal's V1P1 Window PoSt type of the same
// sector size, or its V1 twin (fvm-abi-next.md §7.14; check_valid_proof_type
// at fvm@v3.14.1).
func (r *Rules) WindowPoStMatchesSeal(post abi.RegisteredPoStProof, seal abi.RegisteredSealProof) bool {
	class, ok := r.SealSizeClass(seal)
	if !ok {
		return false
	}
	return post == abi.RegisteredPoStProof(postWindowV11+class) || post == abi.RegisteredPoStProof(postWindowV1+class)
}
