package fvmcrypto

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
)

// Externs is what the embedding client supplies from the chain: the FVM's
// "boundary A" (ref-fvm fvm/src/externs). Every error it returns reaches the
// actor as IllegalArgument (fvm-abi.md §3.2 rand, crypto, vm).
type Externs interface {
	// ChainDigest is the raw 32-byte ticket digest the chain randomness for
	// epoch is drawn from; BeaconDigest the same for the drand beacon. The
	// kernel derives the final value with DeriveRandomness (conformance.md
	// §1.5), so implementations must not hash in the tag, round or entropy.
	ChainDigest(epoch abi.ChainEpoch) ([32]byte, error)
	BeaconDigest(epoch abi.ChainEpoch) ([32]byte, error)

	// TipsetCid is the CID of the tipset key at epoch (nv18's
	// vm.get_tipset_cid; the kernel checks the lookback window first).
	TipsetCid(epoch abi.ChainEpoch) (cid.Cid, error)

	// VerifyConsensusFault checks two block headers (and an optional third
	// for parent grinding) for a consensus fault; nil means no fault. The
	// fault's Target must be an ID address, or the kernel fails fatally
	// (fvm-abi.md §3.2 crypto.verify_consensus_fault).
	VerifyConsensusFault(h1, h2, extra []byte) (*Fault, error)
}

// FaultType numbers consensus faults as fvm_shared::consensus does.
type FaultType uint8

const (
	FaultDoubleForkMining FaultType = 1
	FaultParentGrinding   FaultType = 2
	FaultTimeOffsetMining FaultType = 3
)

// Fault is a consensus fault an Externs found: the miner at fault, the
// higher epoch of the two blocks, and the kind of fault.
type Fault struct {
	Target address.Address
	Epoch  abi.ChainEpoch
	Type   FaultType
}

// ChainRandomness is the value rand.get_chain_randomness returns: the chain
// digest for epoch from ext, derived with DeriveRandomness.
func ChainRandomness(ext Externs, tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error) {
	d, err := ext.ChainDigest(epoch)
	if err != nil {
		return [32]byte{}, err
	}
	return DeriveRandomness(tag, d, int64(epoch), entropy), nil
}

// BeaconRandomness is the value rand.get_beacon_randomness returns.
func BeaconRandomness(ext Externs, tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error) {
	d, err := ext.BeaconDigest(epoch)
	if err != nil {
		return [32]byte{}, err
	}
	return DeriveRandomness(tag, d, int64(epoch), entropy), nil
}
