// Package exec applies tipsets as Lotus does (chain.md §1): null-epoch
// crons on their own machines, migrations at upgrade heights, message
// selection, rewards, the final cron, the receipts AMT, and the externs a
// machine draws from chain data (§2).
package exec

import (
	"context"
	"fmt"
	"sort"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
)

// Blockstore is what execution reads chain data and state from and writes
// new state to.
type Blockstore interface {
	Get(ctx context.Context, c cid.Cid) (blocks.Block, error)
	Put(ctx context.Context, b blocks.Block) error
}

// Migration rewrites the state tree at an upgrade: it gets the state root
// after cron(H) and returns the new root (chain.md §1.13). height is H.
type Migration func(ctx context.Context, bs Blockstore, root cid.Cid, height abi.ChainEpoch) (cid.Cid, error)

// Upgrade is one entry of the upgrade schedule: from Height+1 on, the network
// runs Network (chain.md §1.4: the tipset at Height still runs the old
// version). Migration, if any, runs at Height after cron(Height).
type Upgrade struct {
	Height    abi.ChainEpoch
	Network   network.Version
	Name      string
	Migration Migration
}

// DrandPoint is one entry of the drand schedule (chain.md §2.3): from Start
// on, beacon rounds come from a network with this genesis time and period.
type DrandPoint struct {
	Start       abi.ChainEpoch
	Name        string
	GenesisTime uint64
	Period      uint64
}

// SupplyFunc computes the circulating supply a machine at epoch on state
// root sees (chain.md §1.14).
type SupplyFunc func(ctx context.Context, bs Blockstore, root cid.Cid, epoch abi.ChainEpoch, nv network.Version) (abi.TokenAmount, error)

// Network is everything about a chain that is not in its blocks.
type Network struct {
	Name string
	// FirstVersion runs every epoch up to the first upgrade's height.
	FirstVersion network.Version
	// Upgrades in ascending height order.
	Upgrades []Upgrade
	// BlockDelay is the seconds between epochs (30).
	BlockDelay uint64
	// ChainID is the EIP-155 chain id machines report (314 on mainnet).
	ChainID uint64
	// Drand is the beacon schedule, ascending by Start.
	Drand []DrandPoint
	// PremiumBaseFeeHeight is where FIP-0115's base fee rule starts (the
	// parent height from which it computes the next fee; chain.md §1.15);
	// negative means never.
	PremiumBaseFeeHeight abi.ChainEpoch
	// Supply computes the circulating supply.
	Supply SupplyFunc
}

// Check refuses an unordered schedule.
func (n *Network) Check() error {
	if !sort.SliceIsSorted(n.Upgrades, func(i, j int) bool { return n.Upgrades[i].Height < n.Upgrades[j].Height }) {
		return fmt.Errorf("network %s: upgrades are not in height order", n.Name)
	}
	prev := n.FirstVersion
	for _, u := range n.Upgrades {
		if u.Network < prev {
			return fmt.Errorf("network %s: upgrade at %d goes back to nv%d", n.Name, u.Height, u.Network)
		}
		prev = u.Network
	}
	if n.Supply == nil {
		return fmt.Errorf("network %s: no circulating supply rule", n.Name)
	}
	return nil
}

// VersionAt is the network version epoch h runs under: the old version up
// to and including an upgrade's height, the new one from the next epoch
// (chain.md §1.4).
func (n *Network) VersionAt(h abi.ChainEpoch) network.Version {
	v := n.FirstVersion
	for _, u := range n.Upgrades {
		if h > u.Height {
			v = u.Network
		}
	}
	return v
}

// upgradeAt is the upgrade scheduled at exactly h, if any.
func (n *Network) upgradeAt(h abi.ChainEpoch) *Upgrade {
	for i := range n.Upgrades {
		if n.Upgrades[i].Height == h {
			return &n.Upgrades[i]
		}
	}
	return nil
}

// beaconAt is the drand network serving epoch e.
func (n *Network) beaconAt(e abi.ChainEpoch) (DrandPoint, bool) {
	var p DrandPoint
	found := false
	for _, d := range n.Drand {
		if d.Start <= e {
			p, found = d, true
		}
	}
	return p, found
}

// MaxBeaconRound is the drand round an epoch's blocks must carry (Lotus's
// MaxBeaconRoundForEpoch, chain.md §2.3): latest = e·delay + genesis − delay;
// before nv16 (latest − drandGenesis)/period, from nv16 1 if latest is
// before drand's genesis, else (latest − drandGenesis)/period + 1.
func MaxBeaconRound(nv network.Version, e abi.ChainEpoch, genesis, delay uint64, d DrandPoint) uint64 {
	latest := uint64(e)*delay + genesis - delay
	if nv <= network.Version15 {
		if latest < d.GenesisTime {
			return 0
		}
		return (latest - d.GenesisTime) / d.Period
	}
	if latest < d.GenesisTime {
		return 1
	}
	return (latest-d.GenesisTime)/d.Period + 1
}

var zero = big.Zero()
