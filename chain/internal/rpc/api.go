// Package rpc is a Lotus JSON-RPC client built on go-jsonrpc, without
// importing Lotus: the v1 methods chain.md §3.3 lists, with Lotus's JSON
// shapes (chain.md §3.2) declared here.
package rpc

import (
	"context"
	"encoding/json"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain/internal/types"
)

// Message is Lotus's types.Message JSON (chain.md §3.2).
type Message struct {
	Version    uint64
	To         address.Address
	From       address.Address
	Nonce      uint64
	Value      abi.TokenAmount
	GasLimit   int64
	GasFeeCap  abi.TokenAmount
	GasPremium abi.TokenAmount
	Method     abi.MethodNum
	Params     []byte
	CID        *cid.Cid `json:",omitempty"`
}

// SignedMessage is {Message, Signature, CID}.
type SignedMessage struct {
	Message   Message
	Signature crypto.Signature
	CID       *cid.Cid `json:",omitempty"`
}

// BlockMessages is ChainGetBlockMessages' result.
type BlockMessages struct {
	BlsMessages   []*Message
	SecpkMessages []*SignedMessage
	Cids          []cid.Cid
}

// CidMessage is one entry of ChainGetParentMessages / ChainGetMessagesInTipset.
type CidMessage struct {
	Cid     cid.Cid
	Message *Message
}

// Receipt is types.MessageReceipt's JSON ({ExitCode, Return, GasUsed,
// EventsRoot}; EventsRoot null before nv18).
type Receipt struct {
	ExitCode   exitcode.ExitCode
	Return     []byte
	GasUsed    int64
	EventsRoot *cid.Cid
}

// MsgLookup is StateSearchMsg's result: TipSet and Height are the
// execution tipset's (chain.md §3.3).
type MsgLookup struct {
	Message   cid.Cid
	Receipt   Receipt
	ReturnDec any
	TipSet    []cid.Cid
	Height    abi.ChainEpoch
}

// CirculatingSupply is StateVMCirculatingSupplyInternal's result.
type CirculatingSupply struct {
	FilVested           abi.TokenAmount
	FilMined            abi.TokenAmount
	FilBurnt            abi.TokenAmount
	FilLocked           abi.TokenAmount
	FilCirculating      abi.TokenAmount
	FilReserveDisbursed abi.TokenAmount
}

// NetworkParams is the part of StateGetNetworkParams a replay reads.
type NetworkParams struct {
	NetworkName      string
	BlockDelaySecs   uint64
	Eip155ChainID    int
	GenesisTimestamp uint64
}

// Event is one ChainGetEvents entry.
type Event struct {
	Emitter abi.ActorID
	Entries []EventEntry
}

// EventEntry is one key/value of an event.
type EventEntry struct {
	Flags byte
	Key   string
	Codec uint64
	Value []byte
}

// API lists the Filecoin.* methods gofvm calls (chain.md §3.3). Each field
// is filled in by go-jsonrpc; the method name is "Filecoin." + field name.
// The node-facts methods are used only when the user trusts the node for
// them (full nodes; gateways do not serve them for old epochs, §3.4).
type API struct {
	ChainHead                 func(ctx context.Context) (*types.TipSet, error)
	ChainGetGenesis           func(ctx context.Context) (*types.TipSet, error)
	ChainGetTipSet            func(ctx context.Context, key []cid.Cid) (*types.TipSet, error)
	ChainGetBlock             func(ctx context.Context, c cid.Cid) (*types.BlockHeader, error)
	ChainGetTipSetByHeight    func(ctx context.Context, h abi.ChainEpoch, anchor []cid.Cid) (*types.TipSet, error)
	ChainGetTipSetAfterHeight func(ctx context.Context, h abi.ChainEpoch, anchor []cid.Cid) (*types.TipSet, error)
	ChainGetBlockMessages     func(ctx context.Context, block cid.Cid) (*BlockMessages, error)
	ChainGetParentMessages    func(ctx context.Context, block cid.Cid) ([]CidMessage, error)
	ChainGetMessagesInTipset  func(ctx context.Context, key []cid.Cid) ([]CidMessage, error)
	ChainGetParentReceipts    func(ctx context.Context, block cid.Cid) ([]*Receipt, error)
	ChainGetMessage           func(ctx context.Context, c cid.Cid) (*Message, error)
	ChainReadObj              func(ctx context.Context, c cid.Cid) ([]byte, error)
	ChainHasObj               func(ctx context.Context, c cid.Cid) (bool, error)
	ChainGetEvents            func(ctx context.Context, root cid.Cid) ([]Event, error)
	StateSearchMsg            func(ctx context.Context, from []cid.Cid, msg cid.Cid, limit abi.ChainEpoch, allowReplaced bool) (*MsgLookup, error)
	StateReplay               func(ctx context.Context, key []cid.Cid, msg cid.Cid) (json.RawMessage, error)
	StateNetworkVersion       func(ctx context.Context, key []cid.Cid) (network.Version, error)
	StateGetNetworkParams     func(ctx context.Context) (*NetworkParams, error)

	StateVMCirculatingSupplyInternal    func(ctx context.Context, key []cid.Cid) (*CirculatingSupply, error)
	StateGetRandomnessDigestFromTickets func(ctx context.Context, round abi.ChainEpoch, key []cid.Cid) ([]byte, error)
	StateGetRandomnessDigestFromBeacon  func(ctx context.Context, round abi.ChainEpoch, key []cid.Cid) ([]byte, error)
}
