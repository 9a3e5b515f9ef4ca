// Package chain applies whole tipsets as a Lotus node does and replays
// history from a Lotus JSON-RPC endpoint (chain.md).
//
// ApplyTipSet is the state transition of one tipset: the crons of the null
// rounds before it (each on its own machine), migrations at upgrade
// heights, message selection across its blocks, a reward message per block,
// the final cron, the receipts AMT (v0 format, 3- or 4-field receipts) and
// the events AMTs (chain.md §1.10). Node reads history over JSON-RPC through
// a block cache that verifies every block against its CID before it is used
// or stored, and replays a message, a tipset or a range against what the
// chain says (chain.md §3.5).
//
// Network versions, circulating supply, randomness and tipset CIDs are
// computed from chain data (chain.md §3.4: gateways do not serve the state
// methods for old epochs); a replay can instead trust a full node's state
// methods for them (Config.TrustNodeFacts).
package chain

import (
	"context"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain/internal/exec"
	"github.com/gofvm/gofvm/chain/internal/mainnet"
	"github.com/gofvm/gofvm/chain/internal/types"
)

// Chain objects.
type (
	// TipSet is a set of blocks at one height, in ticket order.
	TipSet = types.TipSet
	// BlockHeader is a block header (the 16-tuple of chain.md §3.6).
	BlockHeader = types.BlockHeader
	// ChainMessage is a message as a block carries it, with its chain CID
	// and the length its inclusion gas is charged on.
	ChainMessage = types.ChainMessage
)

// Execution.
type (
	// Network is what a chain's blocks do not say: the upgrade schedule,
	// drand networks, chain id, circulating-supply rule.
	Network = exec.Network
	// Upgrade is one network upgrade, with its migration.
	Upgrade = exec.Upgrade
	// Migration rewrites the state at an upgrade height.
	Migration = exec.Migration
	// DrandPoint is one entry of the drand schedule.
	DrandPoint = exec.DrandPoint
	// SupplyFunc computes the circulating supply a machine sees.
	SupplyFunc = exec.SupplyFunc
	// Blockstore holds chain data and state.
	Blockstore = exec.Blockstore
	// Input is one tipset to apply.
	Input = exec.Input
	// Options configure ApplyTipSet.
	Options = exec.Options
	// Result is what applying a tipset produced.
	Result = exec.Result
	// Applied is one explicit message's outcome in a Result.
	Applied = exec.Applied
	// Implicit is one cron or reward message's outcome in a Result.
	Implicit = exec.Implicit
	// ChainView finds tipsets by height on one tipset's chain.
	ChainView = exec.ChainView
)

// ApplyTipSet applies a tipset (chain.md §1.10) and returns the state root,
// the receipts root, the receipts and, with Options.Trace, every message's
// trace events.
func ApplyTipSet(ctx context.Context, bs Blockstore, in Input, o Options) (*Result, error) {
	return exec.ApplyTipSet(ctx, bs, in, o)
}

// LoadTipSet reads a tipset's headers from bs.
func LoadTipSet(ctx context.Context, bs Blockstore, key []cid.Cid) (*TipSet, error) {
	return exec.LoadTipSet(ctx, bs, key)
}

// BlockMessages reads a block's messages (BLS, then secp) from bs.
func BlockMessages(ctx context.Context, bs Blockstore, h *BlockHeader) ([]*ChainMessage, error) {
	return exec.BlockMessages(ctx, bs, h)
}

// NewChainView anchors a ChainView at head.
func NewChainView(bs Blockstore, head *TipSet) *ChainView { return exec.NewChainView(bs, head) }

// Mainnet is Filecoin mainnet from nv15 on: the upgrade schedule with
// go-state-types' migrations (the nv16 one, specs-actors v8's, is not
// available: execution cannot cross Skyr), the drand schedule with the
// quicknet switch, FIP-0115 from FireHorse, chain id 314 and the
// circulating-supply formula of chain.md §1.14.
func Mainnet() *Network { return mainnet.Network() }
