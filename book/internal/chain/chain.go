// Package chain is the book's chain: a state root advanced one epoch at a
// time the way a Lotus node applies tipsets (explicit messages at the
// tipset's epoch, then the block reward, then the cron tick; chain.md), with
// one machine per message so that every explicit message can be written out
// as a self-contained test vector. Randomness comes from a fixed digest per
// epoch; tipset CIDs are refused, as the vector runner refuses them.
package chain

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	reward "github.com/filecoin-project/go-state-types/builtin/v10/reward"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/genesis"
	"github.com/gofvm/gofvm/kernel"
)

// Well-known actors the chain sends implicit messages between.
const (
	systemID abi.ActorID = 0
	rewardID abi.ActorID = 2
	cronID   abi.ActorID = 3
)

// Method numbers of the implicit messages (builtin-actors cron
// Method::EpochTick, reward Method::AwardBlockReward).
const (
	cronEpochTick          abi.MethodNum = 2
	rewardAwardBlockReward abi.MethodNum = 2
)

// Config is a chain's fixed setup.
type Config struct {
	NetworkVersion network.Version
	Store          *Store
	Genesis        cid.Cid
	// Epoch is the first epoch messages are applied at (genesis is the
	// epoch before).
	Epoch        abi.ChainEpoch
	Engine       kernel.Engine
	Verifier     kernel.ProofVerifier
	Reachability kernel.ReachabilityMode
	BaseFee      abi.TokenAmount
	CircSupply   abi.TokenAmount
	// Cron runs the cron actor's EpochTick at the end of every epoch (the
	// real actors; our test actors have no cron).
	Cron bool
	// Record keeps every explicit message as a Record (for test vectors).
	Record bool
}

// Chain is a state root and an epoch.
type Chain struct {
	cfg   Config
	epoch abi.ChainEpoch
	root  cid.Cid
	cs    cbor.IpldStore

	// Producer, when set, wins one block every epoch: the reward actor's
	// AwardBlockReward pays it the epoch's reward plus the tips of the
	// epoch's messages (as Lotus's ApplyBlocks does for each block).
	Producer        abi.ActorID
	tips, penalties abi.TokenAmount

	records  []Record
	lastCron abi.ChainEpoch
}

// New starts a chain at cfg.Genesis.
func New(cfg Config) (*Chain, error) {
	if cfg.Store == nil || !cfg.Genesis.Defined() || cfg.Engine == nil {
		return nil, errors.New("chain: a store, a genesis root and an engine are required")
	}
	if cfg.BaseFee.Int == nil {
		cfg.BaseFee = big.NewInt(100)
	}
	if cfg.CircSupply.Int == nil {
		cfg.CircSupply = genesis.TotalFIL
	}
	if cfg.Epoch <= 0 {
		cfg.Epoch = 1
	}
	return &Chain{cfg: cfg, epoch: cfg.Epoch, root: cfg.Genesis, cs: cbor.NewCborStore(cfg.Store),
		tips: big.Zero(), penalties: big.Zero(), lastCron: -1}, nil
}

// Epoch is the epoch the next message is applied at.
func (c *Chain) Epoch() abi.ChainEpoch { return c.epoch }

// PriorEpoch is the last epoch whose cron tick ran (−1 before any): the
// "prior epoch" of the actors' invariant checks, whose state they describe.
func (c *Chain) PriorEpoch() abi.ChainEpoch { return c.lastCron }

// Root is the current state root.
func (c *Chain) Root() cid.Cid { return c.root }

// NetworkVersion is the chain's network version.
func (c *Chain) NetworkVersion() network.Version { return c.cfg.NetworkVersion }

// Store is the chain's blockstore.
func (c *Chain) Store() *Store { return c.cfg.Store }

// CborStore wraps Store.
func (c *Chain) CborStore() cbor.IpldStore { return c.cs }

// BaseFee and CircSupply are the machine parameters of every message.
func (c *Chain) BaseFee() abi.TokenAmount    { return c.cfg.BaseFee }
func (c *Chain) CircSupply() abi.TokenAmount { return c.cfg.CircSupply }

// Records are the explicit messages applied so far (Config.Record).
func (c *Chain) Records() []Record { return c.records }

// Tree opens the state tree at the current root.
func (c *Chain) Tree(ctx context.Context) (*actors.StateTree, error) {
	return genesis.LoadStateTree(ctx, c.cs, c.root, c.cfg.NetworkVersion)
}

// Timestamp is the machine timestamp of epoch: epoch × 30 s, as the vector
// runner sets it (conformance.md §1.5), so that written vectors replay.
func Timestamp(epoch abi.ChainEpoch) uint64 { return uint64(epoch) * 30 }

func (c *Chain) machine(ctx context.Context, ext *Externs) (*kernel.Machine, error) {
	opts := []kernel.Option{
		kernel.WithEpoch(c.epoch),
		kernel.WithTimestamp(Timestamp(c.epoch)),
		kernel.WithBaseFee(c.cfg.BaseFee),
		kernel.WithCirculatingSupply(c.cfg.CircSupply),
		kernel.WithExterns(ext),
		kernel.WithEngine(c.cfg.Engine),
		kernel.WithReachability(c.cfg.Reachability),
	}
	if c.cfg.Verifier != nil {
		opts = append(opts, kernel.WithProofVerifier(c.cfg.Verifier))
	}
	return kernel.NewMachine(ctx, c.cfg.Store, c.root, c.cfg.NetworkVersion, opts...)
}

// Apply applies an explicit message at the current epoch on a fresh machine
// and flushes. chainLength is what the inclusion charge is computed on. An
// error is a message the machine could not apply at all, or a flush failure.
func (c *Chain) Apply(ctx context.Context, msg *kernel.Message, chainLength int, label string) (*kernel.ApplyRet, error) {
	ext := &Externs{}
	m, err := c.machine(ctx, ext)
	if err != nil {
		return nil, err
	}
	pre := c.root
	ret, err := kernel.NewExecutor(m).ApplyMessage(ctx, msg, chainLength)
	if err != nil {
		return nil, err
	}
	post, err := m.Flush(ctx)
	if err != nil {
		return nil, err
	}
	c.root = post
	c.tips = big.Add(c.tips, ret.MinerTip)
	c.penalties = big.Add(c.penalties, ret.MinerPenalty)
	if c.cfg.Record {
		raw, err := msg.Bytes()
		if err != nil {
			return nil, err
		}
		c.records = append(c.records, Record{
			Label: label, Epoch: c.epoch, NetworkVersion: c.cfg.NetworkVersion,
			BaseFee: c.cfg.BaseFee, CircSupply: c.cfg.CircSupply,
			PreRoot: pre, PostRoot: post, Message: raw, ChainLength: chainLength,
			Receipt: ret.Receipt, Randomness: ext.used,
		})
	}
	return ret, nil
}

// ApplyImplicit applies a system message (no inclusion charge, no fee) at
// the current epoch and flushes.
func (c *Chain) ApplyImplicit(ctx context.Context, msg *kernel.Message) (*kernel.ApplyRet, error) {
	m, err := c.machine(ctx, &Externs{})
	if err != nil {
		return nil, err
	}
	if msg.GasLimit == 0 {
		msg.GasLimit = kernel.ImplicitGasLimit
	}
	ret, err := kernel.NewExecutor(m).ApplyImplicitMessage(ctx, msg)
	if err != nil {
		return nil, err
	}
	if c.root, err = m.Flush(ctx); err != nil {
		return nil, err
	}
	return ret, nil
}

func idAddr(id abi.ActorID) address.Address {
	a, _ := address.NewIDAddress(uint64(id))
	return a
}

// ImplicitError is an implicit message (reward, cron) that did not exit 0:
// on a real chain that halts the node.
type ImplicitError struct {
	What     string
	Epoch    abi.ChainEpoch
	ExitCode exitcode.ExitCode
	Info     string
}

func (e *ImplicitError) Error() string {
	return fmt.Sprintf("%s at epoch %d exited %d: %s", e.What, e.Epoch, e.ExitCode, e.Info)
}

// EndEpoch closes the current epoch: the block reward (when a producer is
// set), then the cron tick (Config.Cron), then moves to the next epoch.
func (c *Chain) EndEpoch(ctx context.Context) error {
	if c.Producer != 0 {
		params, err := awardParams(idAddr(c.Producer), c.penalties, c.tips)
		if err != nil {
			return err
		}
		ret, err := c.ApplyImplicit(ctx, &kernel.Message{From: idAddr(systemID), To: idAddr(rewardID),
			Method: rewardAwardBlockReward, Params: params, Value: big.Zero(), GasFeeCap: big.Zero(), GasPremium: big.Zero()})
		if err != nil {
			return fmt.Errorf("block reward at epoch %d: %w", c.epoch, err)
		}
		if ret.Receipt.ExitCode != exitcode.Ok {
			return &ImplicitError{What: "block reward", Epoch: c.epoch, ExitCode: ret.Receipt.ExitCode, Info: ret.FailureInfo}
		}
	}
	c.tips, c.penalties = big.Zero(), big.Zero()
	if c.cfg.Cron {
		ret, err := c.ApplyImplicit(ctx, &kernel.Message{From: idAddr(systemID), To: idAddr(cronID),
			Method: cronEpochTick, Value: big.Zero(), GasFeeCap: big.Zero(), GasPremium: big.Zero()})
		if err != nil {
			return fmt.Errorf("cron at epoch %d: %w", c.epoch, err)
		}
		if ret.Receipt.ExitCode != exitcode.Ok {
			return &ImplicitError{What: "cron tick", Epoch: c.epoch, ExitCode: ret.Receipt.ExitCode, Info: ret.FailureInfo}
		}
		c.lastCron = c.epoch
	}
	c.epoch++
	return nil
}

// AdvanceTo ends epochs until the current epoch is target.
func (c *Chain) AdvanceTo(ctx context.Context, target abi.ChainEpoch) error {
	for c.epoch < target {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.EndEpoch(ctx); err != nil {
			return err
		}
	}
	return nil
}

// awardParams encodes the reward actor's AwardBlockRewardParams; its tuple
// {miner, penalty, gas_reward, win_count} is the same in every actors
// version (builtin-actors actors/reward/src/types.rs).
func awardParams(miner address.Address, penalty, gasReward abi.TokenAmount) ([]byte, error) {
	var buf bytes.Buffer
	p := reward.AwardBlockRewardParams{Miner: miner, Penalty: penalty, GasReward: gasReward, WinCount: 1}
	if err := p.MarshalCBOR(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
