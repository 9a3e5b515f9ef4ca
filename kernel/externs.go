package kernel

import (
	"context"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/syscalls"
)

// Externs are the client callbacks the kernel needs (fvm-abi.md §3.2 rand,
// network.tipset_cid, crypto.verify_consensus_fault). Digests are the raw
// 32-byte ticket/beacon values: the kernel does the final blake2b step.
type Externs interface {
	ChainDigest(ctx context.Context, epoch abi.ChainEpoch) ([32]byte, error)
	BeaconDigest(ctx context.Context, epoch abi.ChainEpoch) ([32]byte, error)
	TipsetCid(ctx context.Context, epoch abi.ChainEpoch) (cid.Cid, error)
	// VerifyConsensusFault returns nil when there is no fault.
	VerifyConsensusFault(ctx context.Context, h1, h2, extra []byte) (*syscalls.ConsensusFault, error)
}

// ProofVerifier verifies seals, PoSts, aggregates and replica updates. gofvm
// ships none as a default (design.md "Proofs").
type ProofVerifier interface {
	VerifySeal(info *proof.SealVerifyInfo) (bool, error)
	VerifyPoSt(info *proof.WindowPoStVerifyInfo) (bool, error)
	VerifyAggregateSeals(agg *proof.AggregateSealVerifyProofAndInfos) (bool, error)
	VerifyReplicaUpdate(rep *proof.ReplicaUpdateInfo) (bool, error)
}
