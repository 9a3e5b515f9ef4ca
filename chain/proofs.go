package chain

import (
	"github.com/filecoin-project/go-state-types/proof"
)

// HistoryProofs is a proof verifier for replaying history the network has
// already validated: it takes every seal, PoSt, aggregate and replica-update
// proof as valid, since the blocks that carried them were accepted. It does
// not check anything, so it must never be used to validate new blocks, and
// a replay that uses it must say so. gofvm has no real proof verifier (pure
// Go has no SNARK verifier for Filecoin's proofs).
type HistoryProofs struct{}

// String names the verifier in a replay's output.
func (HistoryProofs) String() string {
	return "proofs are not verified: every proof is taken as valid (history the network already checked)"
}

func (HistoryProofs) VerifySeal(*proof.SealVerifyInfo) (bool, error)             { return true, nil }
func (HistoryProofs) VerifyPoSt(*proof.WindowPoStVerifyInfo) (bool, error)       { return true, nil }
func (HistoryProofs) VerifyReplicaUpdate(*proof.ReplicaUpdateInfo) (bool, error) { return true, nil }

func (HistoryProofs) VerifyAggregateSeals(*proof.AggregateSealVerifyProofAndInfos) (bool, error) {
	return true, nil
}

func (HistoryProofs) BatchVerifySeals(infos []proof.SealVerifyInfo) ([]bool, error) {
	out := make([]bool, len(infos))
	for i := range out {
		out[i] = true
	}
	return out, nil
}
