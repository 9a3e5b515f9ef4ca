package exec

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
	"golang.org/x/crypto/blake2b"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// beaconLookback is how many tipsets back a beacon entry is searched for
// (chain.md §2.3).
const beaconLookback = 20

// chainExterns draws randomness and tipset CIDs from the executing tipset's
// chain (chain.md §2.2–2.4). Every machine of one tipset, null-epoch ones
// included, shares it: randomness is always anchored at the executing
// tipset. A failure to read the chain is recorded by the store, and the
// tipset aborts (chain.md §2.6).
type chainExterns struct {
	ctx     context.Context
	view    *ChainView
	net     *Network
	genesis uint64 // the genesis block's timestamp
}

// ChainDigest is blake2b-256 of the min-ticket VRF proof of the tipset at
// round, or the next non-null one (nv ≥ 13; chain.md §2.2).
func (e *chainExterns) ChainDigest(round abi.ChainEpoch) ([32]byte, error) {
	if round > e.view.Head().Height() {
		return [32]byte{}, fmt.Errorf("cannot draw randomness from the future (round %d, tipset at %d)", round, e.view.Head().Height())
	}
	ts, err := e.view.At(e.ctx, round, false)
	if err != nil {
		return [32]byte{}, err
	}
	return blake2b.Sum256(ts.MinTicketBlock().Ticket.VRFProof), nil
}

// BeaconDigest is blake2b-256 of the drand entry MaxBeaconRound names,
// found in the first block of the tipset at round (or the next non-null
// one) or up to 20 parents back (nv ≥ 14; chain.md §2.3).
func (e *chainExterns) BeaconDigest(round abi.ChainEpoch) ([32]byte, error) {
	if round > e.view.Head().Height() {
		return [32]byte{}, fmt.Errorf("cannot draw beacon randomness from the future (round %d)", round)
	}
	if round < 0 {
		round = 0
	}
	d, ok := e.net.beaconAt(round)
	if !ok {
		return [32]byte{}, fmt.Errorf("no drand network at epoch %d", round)
	}
	want := MaxBeaconRound(e.net.VersionAt(round), round, e.genesis, e.net.BlockDelay, d)
	ts, err := e.view.At(e.ctx, round, false)
	if err != nil {
		return [32]byte{}, err
	}
	for i := 0; i < beaconLookback; i++ {
		for _, be := range ts.MinTicketBlock().BeaconEntries {
			if be.Round == want {
				return blake2b.Sum256(be.Data), nil
			}
		}
		if ts.Height() == 0 {
			break
		}
		if ts, err = e.view.Parent(e.ctx, ts); err != nil {
			return [32]byte{}, err
		}
	}
	return [32]byte{}, fmt.Errorf("no beacon entry for drand round %d (%s) near epoch %d", want, d.Name, round)
}

// TipsetCid is the key CID of the tipset at epoch or, if null, the previous
// non-null one (chain.md §2.4). The kernel has already checked the window.
func (e *chainExterns) TipsetCid(epoch abi.ChainEpoch) (cid.Cid, error) {
	ts, err := e.view.At(e.ctx, epoch, true)
	if err != nil {
		return cid.Undef, err
	}
	return ts.Key()
}

// VerifyConsensusFault answers "no fault" for every pair of headers. Lotus
// never returns an error here and reports no fault for every header pair
// that fails a check (chain.md §2.5); a real fault needs the worker key from
// the lookback state and a block signature check, which this does not do
// yet: a replay of a tipset that reports a consensus fault would differ.
func (e *chainExterns) VerifyConsensusFault(_, _, _ []byte) (*fvmcrypto.Fault, error) {
	return nil, nil
}

// NewChainExterns are the externs a machine of the tipset view is anchored
// at draws from chain data.
func NewChainExterns(ctx context.Context, view *ChainView, n *Network, genesis uint64) fvmcrypto.Externs {
	return &chainExterns{ctx: ctx, view: view, net: n, genesis: genesis}
}
