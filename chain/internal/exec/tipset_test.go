package exec_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-address"
	amt4 "github.com/filecoin-project/go-amt-ipld/v4"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/chain/chaintest"
	"github.com/gofvm/gofvm/chain/internal/exec"
	"github.com/gofvm/gofvm/chain/internal/types"
	"github.com/gofvm/gofvm/kernel"
)

// Every test here derives what it expects from chain.md's rules and the
// test actors' documented behaviour (chaintest/wat), never from a run.

const (
	gasLimit = 10_000_000
	feeCap   = 1000
	premium  = 10
)

func transfer(from address.Address, nonce uint64, value int64) *kernel.Message {
	return &kernel.Message{From: from, To: chaintest.Bob, Nonce: nonce, Value: big.NewInt(value),
		GasLimit: gasLimit, GasFeeCap: big.NewInt(feeCap), GasPremium: big.NewInt(premium)}
}

func newChain(t *testing.T, upgrade abi.ChainEpoch) *chaintest.Chain {
	t.Helper()
	c, err := chaintest.New(context.Background(), chaintest.Options{UpgradeHeight: upgrade})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mine(t *testing.T, c *chaintest.Chain, h abi.ChainEpoch, specs ...chaintest.BlockSpec) *types.TipSet {
	t.Helper()
	if len(specs) == 0 {
		specs = []chaintest.BlockSpec{{Miner: 0, WinCount: 1}}
	}
	ts, err := c.Mine(context.Background(), h, specs...)
	if err != nil {
		t.Fatalf("mining %d: %v", h, err)
	}
	return ts
}

// stateAfter is the state root after executing ts (its child's parent state).
func stateAfter(t *testing.T, c *chaintest.Chain, ts *types.TipSet) cid.Cid {
	t.Helper()
	r := c.Result(ts)
	if r == nil {
		t.Fatalf("tipset at %d not executed", ts.Height())
	}
	return r.StateRoot
}

func actor(t *testing.T, c *chaintest.Chain, root cid.Cid, id abi.ActorID) *actors.Actor {
	t.Helper()
	for _, nv := range []network.Version{network.Version17, network.Version18} {
		st, err := actors.LoadStateTree(context.Background(), cbor.NewCborStore(c.Store), root, nv)
		if err != nil {
			continue
		}
		a, err := st.GetActor(id)
		if err != nil || a == nil {
			t.Fatalf("actor %d: %v", id, err)
		}
		return a
	}
	t.Fatalf("state %s loads at neither nv17 nor nv18", root)
	return nil
}

func tally(t *testing.T, c *chaintest.Chain, root cid.Cid) chaintest.CronTally {
	t.Helper()
	a := actor(t, c, root, chaintest.CronID)
	raw, ok := c.Store.Raw(a.Head)
	if !ok {
		t.Fatal("cron state missing")
	}
	tl, err := chaintest.DecodeTally(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// TestNullRoundCrons: for k null rounds between a tipset's parent and it,
// cron runs k+1 times (once per null epoch, on its own machine, and once at
// the end; chain.md §1.8, §1.10), at each epoch in turn.
func TestNullRoundCrons(t *testing.T) {
	c := newChain(t, 100)
	p := mine(t, c, 1)
	for _, k := range []abi.ChainEpoch{0, 1, 4} {
		next := p.Height() + k + 1
		ts := mine(t, c, next)
		mine(t, c, next+1) // executes ts
		before, after := tally(t, c, ts.ParentState()), tally(t, c, stateAfter(t, c, ts))
		var sum uint64
		for e := p.Height() + 1; e <= next; e++ {
			sum += uint64(e)
		}
		if got := after.Ticks - before.Ticks; got != uint64(k)+1 {
			t.Errorf("k=%d: %d crons, want %d", k, got, k+1)
		}
		if got := after.EpochSum - before.EpochSum; got != sum {
			t.Errorf("k=%d: cron epochs sum to %d, want %d", k, got, sum)
		}
		if after.LastEpoch != uint64(next) {
			t.Errorf("k=%d: last cron at %d, want %d", k, after.LastEpoch, next)
		}
		if n := countCrons(c.Result(ts)); n != int(k)+1 {
			t.Errorf("k=%d: result lists %d crons", k, n)
		}
		p = mine(t, c, next+2)
		_ = p
		p = c.Head()
	}
}

func countCrons(r *exec.Result) int {
	n := 0
	for _, im := range r.Implicit {
		if im.Kind == exec.Cron {
			n++
		}
	}
	return n
}

// award is one record of the test reward actor's state.
type award struct {
	miner              address.Address
	penalty, gasReward big.Int
	winCount           int64
}

// awards reads the reward actor's list (newest first) back to genesis.
func awards(t *testing.T, c *chaintest.Chain, root cid.Cid) []award {
	t.Helper()
	head := actor(t, c, root, chaintest.RewardID).Head
	var out []award
	for {
		raw, ok := c.Store.Raw(head)
		if !ok {
			t.Fatal("reward state missing")
		}
		if bytes.Equal(raw, []byte{0x80}) {
			return out
		}
		r := cbg.NewCborReader(bytes.NewReader(raw))
		if _, n, err := r.ReadHeader(); err != nil || n != 2 {
			t.Fatal("reward state is not a pair")
		}
		prev, err := cbg.ReadCid(r)
		if err != nil {
			t.Fatal(err)
		}
		params, err := cbg.ReadByteArray(r, 1024)
		if err != nil {
			t.Fatal(err)
		}
		pr := cbg.NewCborReader(bytes.NewReader(params))
		var a award
		if _, n, err := pr.ReadHeader(); err != nil || n != 4 {
			t.Fatal("params are not a 4-tuple")
		}
		if err := a.miner.UnmarshalCBOR(pr); err != nil {
			t.Fatal(err)
		}
		if err := a.penalty.UnmarshalCBOR(pr); err != nil {
			t.Fatal(err)
		}
		if err := a.gasReward.UnmarshalCBOR(pr); err != nil {
			t.Fatal(err)
		}
		_, wc, err := pr.ReadHeader()
		if err != nil {
			t.Fatal(err)
		}
		a.winCount = int64(wc)
		out = append(out, a)
		head = prev
	}
}

// TestRewardsAndDeduplication: a tipset of three blocks whose messages
// overlap. Selection (chain.md §1.5) applies each (sender, nonce) once, the
// first block in ticket order winning; each block's reward message carries
// the miner tips of the messages applied in that block (§1.6–1.7), which the
// reward actor records and pays with win count × 10^9.
func TestRewardsAndDeduplication(t *testing.T) {
	c := newChain(t, 100)
	mine(t, c, 1)
	// Each block is valid on its own (nonces from the state's), as block
	// validation requires (chain.md §1.17); a0x reuses a0's nonce.
	a0, a1 := transfer(chaintest.Alice, 0, 7), transfer(chaintest.Alice, 1, 7)
	a0x := transfer(chaintest.Alice, 0, 1000)
	b0 := transfer(chaintest.Carol, 0, 3)
	ts := mine(t, c, 2,
		chaintest.BlockSpec{Miner: 0, WinCount: 1, Secp: []*kernel.Message{a0, a1}},
		chaintest.BlockSpec{Miner: 1, WinCount: 2, Secp: []*kernel.Message{a0}, BLS: []*kernel.Message{b0}},
		chaintest.BlockSpec{Miner: 2, WinCount: 3, BLS: []*kernel.Message{b0}, Secp: []*kernel.Message{a0x, a1}})
	mine(t, c, 3)
	res := c.Result(ts)
	// Expected selection, walking the blocks in ticket order.
	applied := map[int][]*kernel.Message{}
	seen := map[string]bool{}
	minerOf := map[int]address.Address{}
	wins := map[int]int64{}
	specs := map[string]struct {
		msgs []*kernel.Message
		wins int64
	}{
		chaintest.MinerAddr(0).String(): {[]*kernel.Message{a0, a1}, 1},
		chaintest.MinerAddr(1).String(): {[]*kernel.Message{b0, a0}, 2}, // BLS first
		chaintest.MinerAddr(2).String(): {[]*kernel.Message{b0, a0x, a1}, 3},
	}
	for i, b := range ts.Blocks() {
		s := specs[b.Miner.String()]
		minerOf[i], wins[i] = b.Miner, s.wins
		for _, m := range s.msgs {
			k := fmt.Sprint(m.From, m.Nonce)
			if !seen[k] {
				seen[k] = true
				applied[i] = append(applied[i], m)
			}
		}
	}
	if len(res.Receipts) != 3 {
		t.Fatalf("%d receipts, want 3 (each message once)", len(res.Receipts))
	}
	// Bob received each value once.
	bobBefore := actor(t, c, ts.ParentState(), chaintest.BobID).Balance
	bobAfter := actor(t, c, res.StateRoot, chaintest.BobID).Balance
	wantBob := big.Zero()
	for _, ms := range applied {
		for _, m := range ms {
			wantBob = big.Add(wantBob, m.Value)
		}
	}
	if d := big.Sub(bobAfter, bobBefore); !d.Equals(wantBob) {
		t.Errorf("Bob got %s, want %s", d, wantBob)
	}
	// Miner tip = gas limit × effective premium (min(premium, fee cap −
	// base fee); fvm-gas.md §5): base fee 100 < fee cap − premium here.
	base := ts.Blocks()[0].ParentBaseFee
	tip := big.Mul(big.NewInt(gasLimit), big.Min(big.NewInt(premium), big.Sub(big.NewInt(feeCap), base)))
	got := awards(t, c, res.StateRoot)
	if len(got) < 3 {
		t.Fatalf("%d awards recorded", len(got))
	}
	recent := got[:3] // newest first: block 2, 1, 0
	for i := 0; i < 3; i++ {
		a := recent[2-i]
		wantReward := big.Mul(tip, big.NewInt(int64(len(applied[i]))))
		if a.miner != minerOf[i] || a.winCount != wins[i] || !a.gasReward.Equals(wantReward) || !a.penalty.IsZero() {
			t.Errorf("block %d: award %+v, want miner %s wins %d gas reward %s penalty 0", i, a, minerOf[i], wins[i], wantReward)
		}
		before := actor(t, c, ts.ParentState(), chaintest.FirstMiner+abi.ActorID(minerIndex(minerOf[i]))).Balance
		after := actor(t, c, res.StateRoot, chaintest.FirstMiner+abi.ActorID(minerIndex(minerOf[i]))).Balance
		want := big.Add(wantReward, big.Mul(big.NewInt(wins[i]), chaintest.RewardPerWin))
		if d := big.Sub(after, before); !d.Equals(want) {
			t.Errorf("block %d: miner got %s, want %s", i, d, want)
		}
	}
}

func minerIndex(a address.Address) int {
	id, _ := address.IDFromAddress(a)
	return int(id) - int(chaintest.FirstMiner)
}

// TestReceiptsRootWithGoAmtIpld rebuilds the receipts root of a tipset with
// go-amt-ipld/v4 at bit width 3 (the v0 AMT's nodes are its nodes; only the
// root lacks the bit width, chain.md §1.11) from the receipts as CBOR
// tuples, 3 fields at nv17 and 4 at nv18, and compares it with the child's
// header.
func TestReceiptsRootWithGoAmtIpld(t *testing.T) {
	ctx := context.Background()
	c := newChain(t, 3)
	mine(t, c, 1)
	nonce := uint64(0)
	var tss []*types.TipSet
	for _, h := range []abi.ChainEpoch{2, 3, 4, 5} {
		var msgs []*kernel.Message
		for i := 0; i < 5; i++ {
			msgs = append(msgs, transfer(chaintest.Alice, nonce, 1))
			nonce++
		}
		tss = append(tss, mine(t, c, h, chaintest.BlockSpec{Miner: 0, WinCount: 1, Secp: msgs}))
	}
	child := mine(t, c, 6)
	_ = child
	for i, ts := range tss {
		var next *types.TipSet
		if i+1 < len(tss) {
			next = tss[i+1]
		} else {
			next = c.Head()
		}
		res := c.Result(ts)
		fields := 3
		if res.NetworkVersion >= network.Version18 {
			fields = 4
		}
		var vals []cbg.CBORMarshaler
		for _, r := range res.Receipts {
			var buf bytes.Buffer
			w := cbg.NewCborWriter(&buf)
			_ = w.WriteMajorTypeHeader(cbg.MajArray, uint64(fields))
			_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(r.ExitCode))
			_ = w.WriteMajorTypeHeader(cbg.MajByteString, uint64(len(r.Return)))
			buf.Write(r.Return)
			_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(r.GasUsed))
			if fields == 4 {
				buf.Write(cbg.CborNull) // transfers emit no events
			}
			vals = append(vals, &cbg.Deferred{Raw: buf.Bytes()})
		}
		bs := chaintest.NewMemStore()
		v4, err := amt4.FromArray(ctx, cbor.NewCborStore(bs), vals, amt4.UseTreeBitWidth(3))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := bs.Raw(v4)
		want, _ := abi.CidBuilder.Sum(append([]byte{0x83}, raw[2:]...)) // drop [.., bit width]
		if got := next.Blocks()[0].ParentMessageReceipts; !got.Equals(want) || !res.ReceiptsRoot.Equals(want) {
			t.Errorf("tipset at %d: receipts root %s (header %s), go-amt-ipld gives %s", ts.Height(), res.ReceiptsRoot, got, want)
		}
	}
}

// TestVersionSwitchesAfterUpgrade: the tipset at the upgrade height H runs
// the old version, the migration runs after cron(H), and H+1 runs the new
// one (chain.md §1.4, §1.13). The cron actor counts ticks per ABI.
func TestVersionSwitchesAfterUpgrade(t *testing.T) {
	t.Run("tipsets at H and H+1", func(t *testing.T) {
		c := newChain(t, 3)
		mine(t, c, 1)
		mine(t, c, 2)
		atH := mine(t, c, 3)
		atH1 := mine(t, c, 4)
		mine(t, c, 5)
		rH, rH1 := c.Result(atH), c.Result(atH1)
		if rH.NetworkVersion != network.Version17 || rH1.NetworkVersion != network.Version18 {
			t.Fatalf("versions %d, %d; want 17, 18", rH.NetworkVersion, rH1.NetworkVersion)
		}
		if len(rH.Migrations) != 0 || len(rH1.Migrations) != 1 {
			t.Errorf("migrations %v at H, %v at H+1; want none, then one", rH.Migrations, rH1.Migrations)
		}
		a, b := tally(t, c, rH.StateRoot), tally(t, c, rH1.StateRoot)
		if a.TicksV3 != 0 || b.TicksV3 != 1 || b.TicksV2 != a.TicksV2 {
			t.Errorf("ticks after H %+v, after H+1 %+v", a, b)
		}
		if b.LastTimestamp != c.GenesisTime+30*4 {
			t.Errorf("nv18 cron saw timestamp %d, want genesis + 30·4", b.LastTimestamp)
		}
	})
	t.Run("H inside null rounds", func(t *testing.T) {
		c := newChain(t, 3)
		mine(t, c, 1)
		p := mine(t, c, 2)
		ts := mine(t, c, 5) // null 3 (H) and 4
		mine(t, c, 6)
		a, b := tally(t, c, p.Blocks()[0].ParentStateRoot), tally(t, c, c.Result(ts).StateRoot)
		_ = a
		before := tally(t, c, ts.ParentState())
		// cron(3) on nv17, migration, cron(4) and cron(5) on nv18.
		if b.TicksV2-before.TicksV2 != 1 || b.TicksV3-before.TicksV3 != 2 {
			t.Errorf("v2 ticks +%d, v3 ticks +%d; want +1, +2", b.TicksV2-before.TicksV2, b.TicksV3-before.TicksV3)
		}
		if b.LastTimestamp != c.GenesisTime+30*5 {
			t.Errorf("last timestamp %d", b.LastTimestamp)
		}
	})
}

// TestVersionAt is the schedule rule of chain.md §1.4 on mainnet heights.
func TestVersionAt(t *testing.T) {
	n := &exec.Network{FirstVersion: network.Version16, Upgrades: []exec.Upgrade{
		{Height: 2_383_680, Network: network.Version17}, {Height: 2_683_348, Network: network.Version18}}}
	for _, c := range []struct {
		h  abi.ChainEpoch
		nv network.Version
	}{{2_383_680, 16}, {2_383_681, 17}, {2_683_348, 17}, {2_683_349, 18}} {
		if got := n.VersionAt(c.h); got != c.nv {
			t.Errorf("VersionAt(%d) = %d, want %d", c.h, got, c.nv)
		}
	}
}
