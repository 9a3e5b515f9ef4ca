package chain

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain/internal/types"
	"github.com/gofvm/gofvm/vectors"
)

// ValidateOptions bound a validation.
type ValidateOptions struct {
	From, To abi.ChainEpoch
	// Again re-checks tipsets a previous run already validated.
	Again bool
	// Progress, when set, is told about every tipset of the range.
	Progress func(p Progress)
}

// Progress is one step of a validation.
type Progress struct {
	Done, Total int
	Height      abi.ChainEpoch
	// Skipped: validated by an earlier run (its marker is in the cache).
	Skipped bool
	OK      bool
}

// Validation is what a range validation found.
type Validation struct {
	// Checked tipsets were replayed and matched; Skipped ones had been
	// validated before; Null heights have no tipset.
	Checked, Skipped, Null int
	// Failed is the first tipset that differs (nil: all matched).
	Failed *Replay
	// StateDiff explains a differing state root down to the actor.
	StateDiff string
}

// Validate replays every tipset with From ≤ height ≤ To in order and stops
// at the first that differs from the chain. A tipset that matched is marked
// in the cache, so a rerun resumes after it.
func (n *Node) Validate(ctx context.Context, o ValidateOptions) (*Validation, error) {
	if o.To < o.From {
		return nil, fmt.Errorf("empty range %d..%d", o.From, o.To)
	}
	// The tipset above the range executes its last tipset; walk down from it.
	above, err := n.TipSetAfter(ctx, o.To+1)
	if err != nil {
		return nil, fmt.Errorf("the tipset after %d (it carries the results of the range's last tipset): %w", o.To, err)
	}
	type pair struct{ ts, child *TipSet }
	var pairs []pair
	child := above
	for {
		if child.Height() == 0 {
			break
		}
		ts, err := n.TipSet(ctx, child.Parents())
		if err != nil {
			return nil, err
		}
		if ts.Height() < o.From {
			break
		}
		if ts.Height() <= o.To {
			pairs = append(pairs, pair{ts, child})
		}
		child = ts
	}
	v := &Validation{Null: int(o.To-o.From+1) - len(pairs)}
	total := len(pairs)
	for i := len(pairs) - 1; i >= 0; i-- {
		p := pairs[i]
		done := total - i
		marker := "validated/" + types.KeyString(p.ts.Cids())
		var seen bool
		if ok, err := n.store.GetAnswer(ctx, marker, &seen); err != nil {
			return nil, err
		} else if ok && seen && !o.Again {
			v.Skipped++
			if o.Progress != nil {
				o.Progress(Progress{Done: done, Total: total, Height: p.ts.Height(), Skipped: true, OK: true})
			}
			continue
		}
		r, err := n.replay(ctx, p.ts, p.child, cid.Undef, false)
		if err != nil {
			return nil, fmt.Errorf("tipset at %d: %w", p.ts.Height(), err)
		}
		if o.Progress != nil {
			o.Progress(Progress{Done: done, Total: total, Height: p.ts.Height(), OK: r.OK()})
		}
		if !r.OK() {
			v.Failed = r
			if want := p.child.Blocks()[0].ParentStateRoot; !want.Equals(r.Result.StateRoot) {
				v.StateDiff = vectors.DiffStateRoots(ctx, n.store, want, r.Result.StateRoot)
			}
			return v, nil
		}
		v.Checked++
		if err := n.store.PutAnswer(ctx, marker, true); err != nil {
			return nil, err
		}
	}
	return v, nil
}
