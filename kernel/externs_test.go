package kernel

import (
	"errors"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/test-vectors/schema"
	"github.com/ipfs/go-cid"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// vectorExterns answers randomness from a vector's recorded digests; a
// missing entry is the runner's fixed "i_am_random_____…" value
// (conformance.md §1.5). No consensus fault is ever reported and tipset
// CIDs are unknown, as in ref-fvm's runner.
type vectorExterns struct {
	rand schema.Randomness
}

func (e vectorExterns) digest(kind schema.RandomnessKind, epoch abi.ChainEpoch) ([32]byte, error) {
	var out [32]byte
	for _, r := range e.rand {
		if r.On.Kind == kind && r.On.Epoch == int64(epoch) {
			copy(out[:], r.Return)
			return out, nil
		}
	}
	copy(out[:], "i_am_random_____i_am_random_____")
	return out, nil
}

func (e vectorExterns) ChainDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return e.digest(schema.RandomnessChain, epoch)
}

func (e vectorExterns) BeaconDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return e.digest(schema.RandomnessBeacon, epoch)
}

func (e vectorExterns) TipsetCid(abi.ChainEpoch) (cid.Cid, error) {
	return cid.Undef, errors.New("tipset cids are not recorded in vectors")
}

func (e vectorExterns) VerifyConsensusFault(_, _, _ []byte) (*fvmcrypto.Fault, error) {
	return nil, nil
}
