package chain

import (
	"bytes"
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain/internal/exec"
	"github.com/gofvm/gofvm/kernel"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// Replay is the outcome of replaying a tipset, or a message in its tipset.
type Replay struct {
	// TipSet was applied; Child carries the chain's results for it.
	TipSet, Child *TipSet
	Result        *Result
	// Mismatches lists every way the result differs from the chain, one
	// line each (empty: it matches).
	Mismatches []string
	// Receipt diffs, field by field, for the receipts that differ.
	ReceiptDiffs []string
	// Target is the replayed message (message replays only).
	Target *Applied
	// ChainReceipt is the chain's receipt for Target.
	ChainReceipt *kernel.Receipt
}

// OK says the replay matched the chain.
func (r *Replay) OK() bool { return len(r.Mismatches) == 0 }

// ReplayTipSet applies the tipset at height h and compares its state root,
// receipts root and receipts with its child's header (chain.md §3.5).
func (n *Node) ReplayTipSet(ctx context.Context, h abi.ChainEpoch, trace bool) (*Replay, error) {
	ts, err := n.TipSetAfter(ctx, h)
	if err != nil {
		return nil, err
	}
	if ts.Height() != h {
		return nil, fmt.Errorf("height %d is a null round (the next tipset is at %d)", h, ts.Height())
	}
	child, err := n.childOf(ctx, ts)
	if err != nil {
		return nil, err
	}
	return n.replay(ctx, ts, child, cid.Undef, trace)
}

// ReplayMessage replays the tipset a message was applied in up to and
// including the message (every earlier message and reward first, on the
// state after the null-round crons and migrations) and compares its receipt
// with the chain's (chain.md §3.5).
func (n *Node) ReplayMessage(ctx context.Context, msg cid.Cid, trace bool) (*Replay, error) {
	loc, err := n.Locate(ctx, msg)
	if err != nil {
		return nil, err
	}
	return n.replay(ctx, loc.Inclusion, loc.Execution, msg, trace)
}

// Execute applies ts (all of it, or up to stopAfter) with the node's
// configuration.
func (n *Node) Execute(ctx context.Context, ts *TipSet, stopAfter cid.Cid, trace bool) (*Result, error) {
	parent, err := n.TipSet(ctx, ts.Parents())
	if err != nil {
		return nil, fmt.Errorf("the parent of the tipset at %d: %w", ts.Height(), err)
	}
	msgs := make([][]*ChainMessage, len(ts.Blocks()))
	for i, h := range ts.Blocks() {
		if msgs[i], err = exec.BlockMessages(ctx, n.store, h); err != nil {
			return nil, err
		}
	}
	genesis, err := n.Genesis(ctx)
	if err != nil {
		return nil, err
	}
	view := exec.NewChainView(n.store, ts)
	net := n.cfg.Network
	o := exec.Options{Network: net, GenesisTimestamp: genesis.MinTimestamp(), Engine: n.cfg.Engine,
		Verifier: n.cfg.Verifier, Reachability: n.cfg.Reachability, Trace: trace, StopAfter: stopAfter}
	if n.cfg.TrustNodeFacts {
		if ts.Height() != parent.Height()+1 {
			return nil, fmt.Errorf("trusting the node's facts, the tipset at %d cannot be replayed: null rounds lie before it", ts.Height())
		}
		for _, u := range net.Upgrades {
			if u.Height == parent.Height() && u.Migration != nil {
				return nil, fmt.Errorf("trusting the node's facts, the tipset at %d cannot be replayed: the %s migration runs before it", ts.Height(), u.Name)
			}
		}
		f := nodeFacts{ctx: ctx, n: n, ts: ts}
		nv, err := f.version()
		if err != nil {
			return nil, err
		}
		supply, err := f.supply()
		if err != nil {
			return nil, err
		}
		fixed := *net
		fixed.FirstVersion, fixed.Upgrades = nv, nil
		fixed.Supply = func(context.Context, exec.Blockstore, cid.Cid, abi.ChainEpoch, network.Version) (abi.TokenAmount, error) {
			return supply, nil
		}
		o.Network = &fixed
		o.Externs = factExterns{nodeFacts: f, Externs: exec.NewChainExterns(ctx, view, net, genesis.MinTimestamp())}
	}
	n.store.ResetFailure()
	return exec.ApplyTipSet(ctx, n.store, exec.Input{TipSet: ts, ParentEpoch: parent.Height(), Messages: msgs, View: view}, o)
}

// factExterns takes randomness from the node and the rest from the chain.
type factExterns struct {
	nodeFacts
	fvmcrypto.Externs
}

func (f factExterns) ChainDigest(e abi.ChainEpoch) ([32]byte, error) {
	return f.nodeFacts.ChainDigest(e)
}
func (f factExterns) BeaconDigest(e abi.ChainEpoch) ([32]byte, error) {
	return f.nodeFacts.BeaconDigest(e)
}

func (n *Node) replay(ctx context.Context, ts, child *TipSet, target cid.Cid, trace bool) (*Replay, error) {
	res, err := n.Execute(ctx, ts, target, trace)
	if err != nil {
		return nil, err
	}
	r := &Replay{TipSet: ts, Child: child, Result: res}
	want, err := exec.ReadReceipts(ctx, n.store, child.Blocks()[0].ParentMessageReceipts)
	if err != nil {
		return nil, fmt.Errorf("the chain's receipts: %w", err)
	}
	if target.Defined() {
		r.Target = &res.Messages[len(res.Messages)-1]
		i := len(res.Messages) - 1
		if i >= len(want) {
			r.Mismatches = append(r.Mismatches, fmt.Sprintf("the chain has %d receipts; the message is the %d-th applied", len(want), i+1))
			return r, nil
		}
		r.ChainReceipt = want[i]
		if d := ReceiptDiff(want[i], &r.Target.Ret.Receipt); len(d) > 0 {
			r.Mismatches = append(r.Mismatches, "receipt differs")
			r.ReceiptDiffs = append(r.ReceiptDiffs, prefixed(fmt.Sprintf("receipt %d (%s)", i, target), d)...)
		}
		return r, nil
	}
	hdr := child.Blocks()[0]
	if !res.StateRoot.Equals(hdr.ParentStateRoot) {
		r.Mismatches = append(r.Mismatches, fmt.Sprintf("state root %s, the chain has %s", res.StateRoot, hdr.ParentStateRoot))
	}
	if !res.ReceiptsRoot.Equals(hdr.ParentMessageReceipts) {
		r.Mismatches = append(r.Mismatches, fmt.Sprintf("receipts root %s, the chain has %s", res.ReceiptsRoot, hdr.ParentMessageReceipts))
	}
	if len(want) != len(res.Receipts) {
		r.Mismatches = append(r.Mismatches, fmt.Sprintf("%d receipts, the chain has %d", len(res.Receipts), len(want)))
	}
	msgs := make([][]*ChainMessage, len(ts.Blocks()))
	for i, h := range ts.Blocks() {
		if msgs[i], err = exec.BlockMessages(ctx, n.store, h); err != nil {
			return nil, err
		}
	}
	if fee := n.cfg.Network.NextBaseFee(ts, msgs); !fee.Equals(hdr.ParentBaseFee) {
		r.Mismatches = append(r.Mismatches, fmt.Sprintf("next base fee %s, the chain has %s", fee, hdr.ParentBaseFee))
	}
	for i := 0; i < len(want) && i < len(res.Receipts); i++ {
		if d := ReceiptDiff(want[i], &res.Receipts[i]); len(d) > 0 {
			r.ReceiptDiffs = append(r.ReceiptDiffs, prefixed(fmt.Sprintf("receipt %d (%s)", i, res.Messages[i].Cid), d)...)
		}
	}
	return r, nil
}

func prefixed(head string, lines []string) []string {
	out := []string{head + ":"}
	for _, l := range lines {
		out = append(out, "  "+l)
	}
	return out
}

// ReceiptDiff lists the fields of got that differ from the chain's want.
// The events root is compared only when the chain's receipt has the field
// (4-tuple receipts, nv18 on; chain.md §1.11).
func ReceiptDiff(want, got *kernel.Receipt) []string {
	var d []string
	if want.ExitCode != got.ExitCode {
		d = append(d, fmt.Sprintf("exit code: chain %d, gofvm %d", want.ExitCode, got.ExitCode))
	}
	if !bytes.Equal(want.Return, got.Return) {
		d = append(d, fmt.Sprintf("return: chain %x, gofvm %x", want.Return, got.Return))
	}
	if want.GasUsed != got.GasUsed {
		d = append(d, fmt.Sprintf("gas used: chain %d, gofvm %d (%+d)", want.GasUsed, got.GasUsed, got.GasUsed-want.GasUsed))
	}
	if want.WithEvents {
		if !got.WithEvents {
			d = append(d, "form: the chain's receipt has an events root field, gofvm's has none")
		} else if !sameRoot(want.EventsRoot, got.EventsRoot) {
			d = append(d, fmt.Sprintf("events root: chain %s, gofvm %s", rootName(want.EventsRoot), rootName(got.EventsRoot)))
		}
	}
	return d
}

func sameRoot(a, b *cid.Cid) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equals(*b)
}

func rootName(c *cid.Cid) string {
	if c == nil {
		return "none"
	}
	return c.String()
}

// ErrAborted is wrapped when chain data could not be read during execution.
var ErrAborted = exec.ErrAborted
