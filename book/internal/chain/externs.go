package chain

import (
	"encoding/binary"
	"errors"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
	"golang.org/x/crypto/blake2b"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// Randomness kinds, as the test-vector schema names them.
const (
	KindChain  = "chain"
	KindBeacon = "beacon"
)

// Draw is one digest a message asked for.
type Draw struct {
	Kind   string
	Epoch  abi.ChainEpoch
	Digest [32]byte
}

// Digest is the book's ticket (chain) or beacon digest for an epoch: a
// blake2b-256 of the kind and the epoch, so that every run draws the same.
func Digest(kind string, epoch abi.ChainEpoch) [32]byte {
	b := []byte("gofvm book " + kind + " digest ")
	b = binary.BigEndian.AppendUint64(b, uint64(epoch))
	return blake2b.Sum256(b)
}

// Randomness is what the actor receives for a draw (fvm-abi.md §3.2 rand):
// the digest derived with the domain tag, round and entropy.
func Randomness(kind string, tag int64, epoch abi.ChainEpoch, entropy []byte) [32]byte {
	return fvmcrypto.DeriveRandomness(tag, Digest(kind, epoch), int64(epoch), entropy)
}

// ErrNoTipsetCids is returned for every tipset CID: test vectors carry none,
// so a message that needs one could not be replayed from its vector.
var ErrNoTipsetCids = errors.New("the book's chain has no tipset CIDs")

// Externs serves the digests and records each distinct draw in order.
type Externs struct {
	used []Draw
}

func (e *Externs) draw(kind string, epoch abi.ChainEpoch) [32]byte {
	d := Digest(kind, epoch)
	for _, u := range e.used {
		if u.Kind == kind && u.Epoch == epoch {
			return d
		}
	}
	e.used = append(e.used, Draw{Kind: kind, Epoch: epoch, Digest: d})
	return d
}

func (e *Externs) ChainDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return e.draw(KindChain, epoch), nil
}

func (e *Externs) BeaconDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return e.draw(KindBeacon, epoch), nil
}

func (*Externs) TipsetCid(abi.ChainEpoch) (cid.Cid, error) { return cid.Undef, ErrNoTipsetCids }

func (*Externs) VerifyConsensusFault(_, _, _ []byte) (*fvmcrypto.Fault, error) { return nil, nil }
