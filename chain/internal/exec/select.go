package exec

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"

	"github.com/gofvm/gofvm/chain/internal/types"
)

// Resolver maps an address to its actor id in the parent state.
type Resolver func(a address.Address) (abi.ActorID, bool, error)

// SelectMessages applies Lotus's per-tipset nonce cursor (chain.md §1.5):
// for each block, in tipset order, its messages (BLS, then secp) are taken
// when their nonce is the sender's next one; the first message seen from a
// sender sets the cursor. Senders are keyed by the address as written until
// a message from an ID address appears; from then on by their ID in the
// parent state. A message already applied by unsigned CID is skipped too.
// The result is per block.
func SelectMessages(blocks [][]*types.ChainMessage, resolve Resolver) ([][]*types.ChainMessage, error) {
	type cursor struct{ next uint64 }
	byKey := map[string]*cursor{}
	byID := false
	keyOf := func(a address.Address) (string, error) {
		if !byID {
			return a.String(), nil
		}
		id, found, err := resolve(a)
		if err != nil {
			return "", err
		}
		if !found {
			return "", &UnresolvedSenderError{Sender: a}
		}
		return idKey(id), nil
	}
	applied := map[string]bool{}
	out := make([][]*types.ChainMessage, len(blocks))
	for bi, msgs := range blocks {
		for _, m := range msgs {
			from := m.Message.From
			if !byID && from.Protocol() == address.ID {
				// Switch to ID keys, re-keying the senders seen so far.
				byID = true
				rekeyed := map[string]*cursor{}
				for k, c := range byKey {
					a, err := address.NewFromString(k)
					if err != nil {
						return nil, err
					}
					id, found, err := resolve(a)
					if err != nil {
						return nil, err
					}
					if !found {
						return nil, &UnresolvedSenderError{Sender: a}
					}
					rekeyed[idKey(id)] = c
				}
				byKey = rekeyed
			}
			k, err := keyOf(from)
			if err != nil {
				return nil, err
			}
			c, seen := byKey[k]
			if !seen {
				c = &cursor{next: m.Message.Nonce}
				byKey[k] = c
			}
			if m.Message.Nonce != c.next {
				continue
			}
			c.next++
			uc, err := unsignedCid(m)
			if err != nil {
				return nil, err
			}
			if applied[uc] {
				continue
			}
			applied[uc] = true
			out[bi] = append(out[bi], m)
		}
	}
	return out, nil
}

func idKey(id abi.ActorID) string {
	a, _ := address.NewIDAddress(uint64(id))
	return a.String()
}

func unsignedCid(m *types.ChainMessage) (string, error) {
	if !m.Signed {
		return m.Cid.KeyString(), nil
	}
	b, err := m.Message.Bytes()
	if err != nil {
		return "", err
	}
	c, err := abi.CidBuilder.Sum(b)
	if err != nil {
		return "", err
	}
	return c.KeyString(), nil
}

// UnresolvedSenderError fails a whole tipset: Lotus cannot key a sender it
// cannot resolve once it keys by ID (chain.md §1.5).
type UnresolvedSenderError struct{ Sender address.Address }

func (e *UnresolvedSenderError) Error() string {
	return "message selection: sender " + e.Sender.String() + " has no actor in the parent state"
}
