package exec

import (
	"context"
	"fmt"

	amt4 "github.com/filecoin-project/go-amt-ipld/v4"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/chain/internal/amt0"
	"github.com/gofvm/gofvm/chain/internal/types"
	"github.com/gofvm/gofvm/kernel"
)

// ReceiptsRoot stores the receipts in a v0 AMT, one per applied explicit
// message in order, each a 3- or 4-tuple as the main machine made it
// (chain.md §1.11).
func ReceiptsRoot(ctx context.Context, bs Blockstore, receipts []kernel.Receipt) (cid.Cid, error) {
	vals := make([][]byte, len(receipts))
	for i := range receipts {
		b, err := types.ReceiptBytes(&receipts[i])
		if err != nil {
			return cid.Undef, err
		}
		vals[i] = b
	}
	return amt0.Build(ctx, bs, vals)
}

// ReadReceipts reads a receipts AMT back.
func ReadReceipts(ctx context.Context, bs Blockstore, root cid.Cid) ([]*kernel.Receipt, error) {
	idx, vals, err := amt0.Read(ctx, bs, root)
	if err != nil {
		return nil, fmt.Errorf("receipts %s: %w", root, err)
	}
	out := make([]*kernel.Receipt, len(vals))
	for i, v := range vals {
		if idx[i] != uint64(i) {
			return nil, fmt.Errorf("receipts %s: index %d missing", root, i)
		}
		if out[i], err = types.DecodeReceipt(v); err != nil {
			return nil, fmt.Errorf("receipts %s: receipt %d: %w", root, i, err)
		}
	}
	return out, nil
}

// eventsBitWidth is the events AMT's bit width (chain.md §1.12).
const eventsBitWidth = 5

// checkEvents rebuilds a message's events AMT (the v3+ format, bit width 5)
// into bs from the emitted StampedEvents, as Lotus does when it stores
// events, and checks the root the machine put in the receipt (chain.md
// §1.12).
func checkEvents(ctx context.Context, bs Blockstore, ret *kernel.ApplyRet) error {
	want := ret.Receipt.EventsRoot
	if len(ret.Events) == 0 {
		if want != nil {
			return fmt.Errorf("receipt has events root %s but no events were emitted", *want)
		}
		return nil
	}
	vals := make([]cbg.CBORMarshaler, len(ret.Events))
	for i, e := range ret.Events {
		vals[i] = &cbg.Deferred{Raw: e}
	}
	root, err := amt4.FromArray(ctx, cbor.NewCborStore(bs), vals, amt4.UseTreeBitWidth(eventsBitWidth))
	if err != nil {
		return fmt.Errorf("events AMT: %w", err)
	}
	if want == nil || !root.Equals(*want) {
		return fmt.Errorf("events AMT root %s differs from the receipt's %v", root, want)
	}
	return nil
}
