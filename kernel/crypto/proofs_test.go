package fvmcrypto

import (
	"errors"
	"testing"

	"github.com/filecoin-project/go-state-types/proof"

	"github.com/gofvm/gofvm/kernel/errno"
)

func callAll(v ProofVerifier) ([]bool, []error) {
	var oks []bool
	var errs []error
	add := func(ok bool, err error) { oks, errs = append(oks, ok), append(errs, err) }
	add(v.VerifySeal(&proof.SealVerifyInfo{}))
	add(v.VerifyPoSt(&proof.WindowPoStVerifyInfo{}))
	add(v.VerifyAggregateSeals(&proof.AggregateSealVerifyProofAndInfos{}))
	add(v.VerifyReplicaUpdate(&proof.ReplicaUpdateInfo{}))
	batch, err := v.BatchVerifySeals(make([]proof.SealVerifyInfo, 3))
	add(len(batch) == 3 && batch[0] && batch[1] && batch[2], err)
	return oks, errs
}

func TestTrustingVerifierArmed(t *testing.T) {
	oks, errs := callAll(TrustAllProofsForConformanceVectorsOnly())
	for i := range oks {
		if !oks[i] || errs[i] != nil {
			t.Errorf("call %d: %v, %v", i, oks[i], errs[i])
		}
	}
	if b, err := TrustAllProofsForConformanceVectorsOnly().BatchVerifySeals(nil); err != nil || len(b) != 0 {
		t.Errorf("empty batch: %v, %v", b, err)
	}
}

// The zero value (and a nil pointer) must refuse, so that a TrustingVerifier
// cannot come into being by accident.
func TestTrustingVerifierUnarmed(t *testing.T) {
	for name, v := range map[string]*TrustingVerifier{"zero": {}, "nil": nil} {
		oks, errs := callAll(v)
		for i := range oks {
			if oks[i] || errs[i] == nil {
				t.Errorf("%s call %d: %v, %v; want a refusal", name, i, oks[i], errs[i])
			}
		}
	}
}

func TestErrNoProofVerifier(t *testing.T) {
	if n, ok := errno.Of(ErrNoProofVerifier); !ok || n != errno.IllegalArgument {
		t.Fatalf("ErrNoProofVerifier carries %v, %v", n, ok)
	}
	if !errors.Is(ErrNoProofVerifier, errno.New(errno.IllegalArgument, "")) {
		t.Fatal("errors.Is does not match IllegalArgument")
	}
}
