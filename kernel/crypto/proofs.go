package fvmcrypto

import (
	"github.com/filecoin-project/go-state-types/proof"

	"github.com/gofvm/gofvm/kernel/errno"
)

// ProofVerifier verifies the storage proofs behind crypto.verify_seal,
// verify_post, verify_aggregate_seals, verify_replica_update and
// batch_verify_seals (fvm-abi.md §3.2). gofvm has no pure-Go proofs library,
// so a chain client supplies one (for instance over filecoin-ffi).
//
// The answers follow the reference: (true, nil) valid, (false, nil) invalid,
// and an error for input the proofs library rejects, which the kernel turns
// into IllegalArgument (ref-fvm default.rs maps every proofs-library error,
// and panics, that way). A real verifier must also reject an aggregate with
// no infos (IllegalArgument in the reference). BatchVerifySeals returns one
// result per info, false for any seal that fails or errors on its own; its
// error means the batch could not be checked at all.
//
// gofvm ships no default: with no verifier the kernel must answer every
// proof syscall with ErrNoProofVerifier rather than pretend.
type ProofVerifier interface {
	VerifySeal(info *proof.SealVerifyInfo) (bool, error)
	VerifyPoSt(info *proof.WindowPoStVerifyInfo) (bool, error)
	VerifyAggregateSeals(agg *proof.AggregateSealVerifyProofAndInfos) (bool, error)
	VerifyReplicaUpdate(info *proof.ReplicaUpdateInfo) (bool, error)
	BatchVerifySeals(infos []proof.SealVerifyInfo) ([]bool, error)
}

// ErrNoProofVerifier is the kernel's answer to a proof syscall when the
// machine has no ProofVerifier: IllegalArgument, the number the reference
// gives any failure of the proofs library.
var ErrNoProofVerifier = errno.New(errno.IllegalArgument, "no proof verifier configured")

// TrustingVerifier accepts every proof without looking at it. It exists only
// to run the public conformance vectors, whose proofs ref-fvm's own runner
// fakes as valid (conformance.md §1.5), and must never verify a real chain.
//
// The zero value refuses to answer (every call returns an error): get one
// from TrustAllProofsForConformanceVectorsOnly, whose name is meant to be
// impossible to type by accident.
type TrustingVerifier struct {
	armed bool
}

// TrustAllProofsForConformanceVectorsOnly returns a verifier that says every
// seal, PoSt, aggregate and replica update is valid.
func TrustAllProofsForConformanceVectorsOnly() *TrustingVerifier {
	return &TrustingVerifier{armed: true}
}

// String names the verifier for a runner's output.
func (v *TrustingVerifier) String() string {
	return "TRUSTING proof verifier (every proof valid; conformance vectors only)"
}

var errUnarmedTrustingVerifier = errno.New(errno.IllegalArgument,
	"TrustingVerifier used without TrustAllProofsForConformanceVectorsOnly")

func (v *TrustingVerifier) answer() (bool, error) {
	if v == nil || !v.armed {
		return false, errUnarmedTrustingVerifier
	}
	return true, nil
}

func (v *TrustingVerifier) VerifySeal(*proof.SealVerifyInfo) (bool, error) { return v.answer() }

func (v *TrustingVerifier) VerifyPoSt(*proof.WindowPoStVerifyInfo) (bool, error) { return v.answer() }

func (v *TrustingVerifier) VerifyAggregateSeals(*proof.AggregateSealVerifyProofAndInfos) (bool, error) {
	return v.answer()
}

func (v *TrustingVerifier) VerifyReplicaUpdate(*proof.ReplicaUpdateInfo) (bool, error) {
	return v.answer()
}

// BatchVerifySeals answers true for every info. (ref-fvm's runner also skips
// the v3 per-seal OnVerifySeal charge here; that is the kernel's concern.)
func (v *TrustingVerifier) BatchVerifySeals(infos []proof.SealVerifyInfo) ([]bool, error) {
	if _, err := v.answer(); err != nil {
		return nil, err
	}
	out := make([]bool, len(infos))
	for i := range out {
		out[i] = true
	}
	return out, nil
}

var _ ProofVerifier = (*TrustingVerifier)(nil)
