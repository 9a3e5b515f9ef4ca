package chaintest

import (
	"bytes"
	"context"
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain/internal/amt0"
	"github.com/gofvm/gofvm/chain/internal/types"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/vectors"
)

// VectorChain serves one test vector as chain data: its message as the one
// message of a tipset T at the vector's epoch (parent state = the vector's
// pre-state, parent base fee = its base fee, timestamp = epoch × 30), and a
// child C whose parent state is the vector's post-state and whose receipts
// hold the vector's receipt, a 3-tuple as the vector records it. T's parent
// P sits at the epoch before, above a genesis at 0. The vector's network
// version, circulating supply and randomness are the state methods'
// answers, so a replay trusting the node's facts sees what the vector
// prescribes. The message goes in T's secp list, signed with a 65-byte
// signature, when its sender is an f1 address (the chain length the
// conformance runner charges), else in the BLS list.
type VectorChain struct {
	V       *vectors.Vector
	Store   *MemStore
	tipsets []*types.TipSet
	Message cid.Cid // the message's chain CID
}

// NewVectorChain builds the chain data for v.
func NewVectorChain(ctx context.Context, v *vectors.Vector) (*VectorChain, error) {
	if v.Epoch < 2 {
		return nil, fmt.Errorf("vector %s: epoch %d leaves no room for a parent", v.ID, v.Epoch)
	}
	vc := &VectorChain{V: v, Store: NewMemStore()}
	for _, b := range v.Blocks {
		if err := vc.Store.Put(ctx, b); err != nil {
			return nil, err
		}
	}
	c := &Chain{Store: vc.Store} // for its helpers
	emptyMeta, err := c.putMsgMeta(ctx, nil, nil)
	if err != nil {
		return nil, err
	}
	emptyReceipts, err := amt0.Build(ctx, vc.Store, nil)
	if err != nil {
		return nil, err
	}
	miner, _ := address.NewIDAddress(1000)
	epoch := abi.ChainEpoch(v.Epoch)
	header := func(h abi.ChainEpoch, parents []cid.Cid, state, receipts, meta cid.Cid, fee abi.TokenAmount) *types.BlockHeader {
		return &types.BlockHeader{Miner: miner, Ticket: &types.Ticket{VRFProof: []byte(fmt.Sprintf("vector ticket %d", h))},
			ElectionProof: &types.ElectionProof{WinCount: 1}, Parents: parents, ParentWeight: big.Zero(), Height: h,
			ParentStateRoot: state, ParentMessageReceipts: receipts, Messages: meta, Timestamp: uint64(h) * 30,
			ParentBaseFee: fee}
	}
	fee := big.NewFromGo(v.BaseFee)
	g, err := c.putTipSet(ctx, []*types.BlockHeader{header(0, nil, v.PreRoot, emptyReceipts, emptyMeta, fee)})
	if err != nil {
		return nil, err
	}
	p, err := c.putTipSet(ctx, []*types.BlockHeader{header(epoch-1, g.Cids(), v.PreRoot, emptyReceipts, emptyMeta, fee)})
	if err != nil {
		return nil, err
	}
	var bls, secp []cid.Cid
	if v.Message.From.Protocol() == address.SECP256K1 {
		// [message bytes as the vector has them, signature]
		var buf bytes.Buffer
		buf.WriteByte(0x82)
		buf.Write(v.MessageBytes)
		sig := crypto.Signature{Type: crypto.SigTypeSecp256k1, Data: bytes.Repeat([]byte{0x5a}, 65)}
		if err := sig.MarshalCBOR(&buf); err != nil {
			return nil, err
		}
		if vc.Message, err = putRaw(ctx, vc.Store, buf.Bytes()); err != nil {
			return nil, err
		}
		secp = append(secp, vc.Message)
	} else {
		if vc.Message, err = putRaw(ctx, vc.Store, v.MessageBytes); err != nil {
			return nil, err
		}
		bls = append(bls, vc.Message)
	}
	meta, err := c.putMsgMeta(ctx, bls, secp)
	if err != nil {
		return nil, err
	}
	t, err := c.putTipSet(ctx, []*types.BlockHeader{header(epoch, p.Cids(), v.PreRoot, emptyReceipts, meta, fee)})
	if err != nil {
		return nil, err
	}
	rc := &kernel.Receipt{ExitCode: exitcode.ExitCode(v.Receipt.ExitCode), Return: v.Receipt.ReturnValue, GasUsed: v.Receipt.GasUsed}
	rb, err := types.ReceiptBytes(rc)
	if err != nil {
		return nil, err
	}
	receipts, err := amt0.Build(ctx, vc.Store, [][]byte{rb})
	if err != nil {
		return nil, err
	}
	child, err := c.putTipSet(ctx, []*types.BlockHeader{header(epoch+1, t.Cids(), v.PostRoot, receipts, emptyMeta, fee)})
	if err != nil {
		return nil, err
	}
	vc.tipsets = []*types.TipSet{g, p, t, child}
	return vc, nil
}

// TipSets are genesis, P, T and C.
func (vc *VectorChain) TipSets() []*types.TipSet { return vc.tipsets }

// Raw is a block's bytes.
func (vc *VectorChain) Raw(c cid.Cid) ([]byte, bool) { return vc.Store.Raw(c) }

// AppliedIn: the vector's message is applied in T.
func (vc *VectorChain) AppliedIn(m cid.Cid) (*types.TipSet, bool) {
	if m.Equals(vc.Message) {
		return vc.tipsets[2], true
	}
	return nil, false
}

// NetworkVersion is the vector's.
func (vc *VectorChain) NetworkVersion(*types.TipSet) network.Version {
	return network.Version(vc.V.NetworkVersion)
}

// CirculatingSupply is the vector's.
func (vc *VectorChain) CirculatingSupply(*types.TipSet) (abi.TokenAmount, error) {
	return big.NewFromGo(vc.V.CircSupply), nil
}

// Digest is the vector's recorded digest for round, or the reference
// runner's fallback.
func (vc *VectorChain) Digest(beacon bool, round abi.ChainEpoch, _ *types.TipSet) ([32]byte, error) {
	if beacon {
		return vc.V.Randomness.BeaconDigest(round)
	}
	return vc.V.Randomness.ChainDigest(round)
}

// GenesisTimestamp is 0: the vector's timestamps are epoch × 30.
func (vc *VectorChain) GenesisTimestamp() uint64 { return 0 }
