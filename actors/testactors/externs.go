package testactors

import (
	"errors"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// Externs are the client callbacks the scenarios run with, the same as the
// vector runner's for a vector that records nothing: every randomness
// request answers FallbackDigest, no tipset CID is known (an error, fatal
// for tipset_cid), and no consensus fault is found.
type Externs struct{}

// ErrNoTipsetCids is what Externs answers for every tipset CID.
var ErrNoTipsetCids = errors.New("testactors: the scenario externs know no tipset CIDs")

// ChainDigest is FallbackDigest for every epoch.
func (Externs) ChainDigest(abi.ChainEpoch) ([32]byte, error) { return FallbackDigest, nil }

// BeaconDigest is FallbackDigest for every epoch.
func (Externs) BeaconDigest(abi.ChainEpoch) ([32]byte, error) { return FallbackDigest, nil }

// TipsetCid always fails.
func (Externs) TipsetCid(abi.ChainEpoch) (cid.Cid, error) { return cid.Undef, ErrNoTipsetCids }

// VerifyConsensusFault finds no fault.
func (Externs) VerifyConsensusFault(_, _, _ []byte) (*fvmcrypto.Fault, error) { return nil, nil }

var _ fvmcrypto.Externs = Externs{}
