package chain_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore/query"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/chain"
	"github.com/gofvm/gofvm/chain/chaintest"
	"github.com/gofvm/gofvm/chain/internal/store"
	"github.com/gofvm/gofvm/kernel"
)

// testChain is the chain every test here replays: three miners with
// overlapping secp and BLS messages, null rounds (3–4 and 9), the nv17 →
// nv18 upgrade at 6 with the test migration, and nv18 messages that emit
// events. Heights: 1 2 5 6 7 8 10 11 12.
type testChain struct {
	c       *chaintest.Chain
	heights []abi.ChainEpoch
	msgs    []cid.Cid // chain CIDs of applied messages
}

var shared *testChain

func buildChain(t *testing.T) *testChain {
	t.Helper()
	if shared != nil {
		return shared
	}
	ctx := context.Background()
	c, err := chaintest.New(ctx, chaintest.Options{UpgradeHeight: 6, QuicknetHeight: 8})
	if err != nil {
		t.Fatal(err)
	}
	tc := &testChain{c: c}
	var alice, carol, tester uint64
	tr := func(from *uint64, addr addressLike, v int64) *kernel.Message {
		m := &kernel.Message{From: addr(), To: chaintest.Bob, Nonce: *from, Value: big.NewInt(v),
			GasLimit: 10_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
		*from++
		return m
	}
	for _, h := range []abi.ChainEpoch{1, 2, 5, 6, 7, 8, 10, 11, 12} {
		a1, a2 := tr(&alice, aliceAddr, 5), tr(&alice, aliceAddr, 6)
		b1 := tr(&carol, carolAddr, 7)
		specs := []chaintest.BlockSpec{
			{Miner: 0, WinCount: 1, Secp: []*kernel.Message{a1, a2}, BLS: []*kernel.Message{b1}},
			{Miner: 1, WinCount: 2, Secp: []*kernel.Message{a1}},
		}
		if h >= 7 { // nv18: the tester emits an event
			ev := &kernel.Message{From: chaintest.Alice, To: chaintest.TesterAddr, Nonce: alice, Value: big.Zero(),
				GasLimit: 100_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10),
				Method: testactors.MethodEvent}
			alice++
			specs = append(specs, chaintest.BlockSpec{Miner: 2, WinCount: 1, Secp: []*kernel.Message{a1, a2, ev}})
		}
		_ = tester
		if _, err := c.Mine(ctx, h, specs...); err != nil {
			t.Fatalf("mining %d: %v", h, err)
		}
		tc.heights = append(tc.heights, h)
	}
	for _, ts := range c.TipSets() {
		if r := c.Result(ts); r != nil {
			for _, a := range r.Messages {
				tc.msgs = append(tc.msgs, a.Cid)
			}
		}
	}
	shared = tc
	return tc
}

type addressLike func() addressT

func aliceAddr() addressT { return chaintest.Alice }
func carolAddr() addressT { return chaintest.Carol }

func open(t *testing.T, url, dir string, net *chain.Network, mod ...func(*chain.Config)) *chain.Node {
	t.Helper()
	eng, err := chaintest.NewEngine(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg := chain.Config{URL: url, CacheDir: dir, Network: net, Engine: eng,
		Timeout: 2 * time.Second, Attempts: 2, Backoff: 10 * time.Millisecond}
	for _, m := range mod {
		m(&cfg)
	}
	n, err := chain.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// TestValidateReplayAndCache validates the whole test chain over JSON-RPC,
// replays every applied message, and does it all again from the cache with
// no request at all.
func TestValidateReplayAndCache(t *testing.T) {
	ctx := context.Background()
	tc := buildChain(t)
	srv := chaintest.Serve(tc.c)
	defer srv.Close()
	dir := t.TempDir()
	last := tc.heights[len(tc.heights)-2] // the head has no child yet

	run := func(n *chain.Node, again bool) {
		v, err := n.Validate(ctx, chain.ValidateOptions{From: 1, To: last, Again: again})
		if err != nil {
			t.Fatal(err)
		}
		if v.Failed != nil {
			t.Fatalf("tipset at %d differs: %v %v\n%s", v.Failed.TipSet.Height(), v.Failed.Mismatches, v.Failed.ReceiptDiffs, v.StateDiff)
		}
		if v.Checked != len(tc.heights)-1 || v.Null != int(last)-len(tc.heights)+1 {
			t.Errorf("checked %d, null %d", v.Checked, v.Null)
		}
		for _, m := range tc.msgs {
			r, err := n.ReplayMessage(ctx, m, false)
			if err != nil {
				t.Fatalf("replay %s: %v", m, err)
			}
			if !r.OK() || !r.Target.Cid.Equals(m) {
				t.Fatalf("replay %s: %v %v", m, r.Mismatches, r.ReceiptDiffs)
			}
		}
	}
	n := open(t, srv.URL, dir, tc.c.Net)
	run(n, false)
	if n.Calls() == 0 {
		t.Fatal("the first run made no request")
	}
	n.Close()
	before := srv.TotalCalls()
	n2 := open(t, srv.URL, dir, tc.c.Net)
	run(n2, true)
	if n2.Calls() != 0 || srv.TotalCalls() != before {
		t.Errorf("the second run made %d requests (%s)", n2.Calls(), srv.CallSummary())
	}
	// Resume: without Again every tipset is skipped.
	v, err := n2.Validate(ctx, chain.ValidateOptions{From: 1, To: last})
	if err != nil || v.Skipped != len(tc.heights)-1 || v.Checked != 0 {
		t.Errorf("resume: %+v, %v", v, err)
	}
	n2.Close()
	inspectCache(t, dir, true)
}

// TestTrustNodeFacts replays through the node's state methods for the
// network version, circulating supply and randomness; tipsets with null
// rounds before them are refused.
func TestTrustNodeFacts(t *testing.T) {
	ctx := context.Background()
	tc := buildChain(t)
	srv := chaintest.Serve(tc.c)
	defer srv.Close()
	n := open(t, srv.URL, "", tc.c.Net, func(c *chain.Config) { c.TrustNodeFacts = true })
	for _, h := range []abi.ChainEpoch{2, 8, 11} {
		r, err := n.ReplayTipSet(ctx, h, false)
		if err != nil || !r.OK() {
			t.Fatalf("tipset %d: %v %v", h, err, r)
		}
	}
	for _, h := range []abi.ChainEpoch{5, 7} { // null rounds before 5; the migration at 6 runs in 7
		if _, err := n.ReplayTipSet(ctx, h, false); err == nil || !strings.Contains(err.Error(), "cannot be replayed") {
			t.Errorf("tipset %d: %v", h, err)
		}
	}
	if c := srv.Calls(); c["Filecoin.StateNetworkVersion"] == 0 || c["Filecoin.StateVMCirculatingSupplyInternal"] == 0 {
		t.Errorf("the node's facts were not asked: %s", srv.CallSummary())
	}
}

// TestValidateStopsAtFirstMismatch: with the upgrade one epoch late, the
// tipset at 7 (whose execution runs the migration at its parent's height 6)
// is the first to differ; the report names the state root and diffs the
// state down to the actor.
func TestValidateStopsAtFirstMismatch(t *testing.T) {
	ctx := context.Background()
	tc := buildChain(t)
	srv := chaintest.Serve(tc.c)
	defer srv.Close()
	wrong := chaintest.Network(7, 8, tc.c.GenesisTime)
	n := open(t, srv.URL, "", wrong)
	v, err := n.Validate(ctx, chain.ValidateOptions{From: 1, To: 11})
	if err != nil {
		t.Fatal(err)
	}
	if v.Failed == nil || v.Failed.TipSet.Height() != 7 || v.Checked != 4 {
		t.Fatalf("want a failure at 7 after 4 tipsets: %+v", v)
	}
	if !strings.Contains(strings.Join(v.Failed.Mismatches, "\n"), "state root") ||
		!strings.Contains(v.StateDiff, "state root version: want 5, got 4") || !strings.Contains(v.StateDiff, "f03") {
		t.Errorf("mismatch %v, diff:\n%s", v.Failed.Mismatches, v.StateDiff)
	}
}

// inspectCache checks that every block in the cache hashes to its key.
func inspectCache(t *testing.T, dir string, wantBlocks bool) {
	t.Helper()
	s, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Datastore().Query(context.Background(), query.Query{Prefix: "/blocks"})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	n := 0
	for e := range res.Next() {
		if e.Error != nil {
			t.Fatal(e.Error)
		}
		c, err := cid.Decode(strings.TrimPrefix(e.Key, "/blocks/"))
		if err != nil {
			t.Fatalf("key %s: %v", e.Key, err)
		}
		if err := store.Verify(c, e.Value); err != nil {
			t.Errorf("unverified block in the cache: %v", err)
		}
		n++
	}
	if n == 0 && wantBlocks {
		t.Error("the cache holds no block")
	}
}

func hasBlock(t *testing.T, dir string, c cid.Cid) bool {
	t.Helper()
	s, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ok, err := s.Datastore().Has(context.Background(), store.BlockKey(c))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestFaults: each fault gives a clear error, leaves nothing unverified in
// the cache, and a rerun succeeds once it is gone.
func TestFaults(t *testing.T) {
	ctx := context.Background()
	tc := buildChain(t)
	ts := tc.c.TipSets()[3] // height 6
	stateBlock := ts.ParentState()
	msgBlock := tc.c.Messages(ts)[0][0].Cid
	for _, f := range []struct {
		name   string
		on     func(*chaintest.Server)
		off    func(*chaintest.Server)
		want   string
		target cid.Cid
	}{
		{"missing block", func(s *chaintest.Server) { s.SetMissing(stateBlock, true) },
			func(s *chaintest.Server) { s.SetMissing(stateBlock, false) }, stateBlock.String(), stateBlock},
		{"corrupt bytes", func(s *chaintest.Server) { s.SetCorrupt(msgBlock, true) },
			func(s *chaintest.Server) { s.SetCorrupt(msgBlock, false) }, msgBlock.String(), msgBlock},
		{"slow server", func(s *chaintest.Server) { s.SetSlow(time.Second) },
			func(s *chaintest.Server) { s.SetSlow(0) }, "no answer within", cid.Undef},
		{"dropped connection", func(s *chaintest.Server) { s.SetDrop(true) },
			func(s *chaintest.Server) { s.SetDrop(false) }, "unreachable", cid.Undef},
		{"malformed JSON", func(s *chaintest.Server) { s.SetMalformed(true) },
			func(s *chaintest.Server) { s.SetMalformed(false) }, "unreadable", cid.Undef},
	} {
		t.Run(f.name, func(t *testing.T) {
			srv := chaintest.Serve(tc.c)
			defer srv.Close()
			dir := t.TempDir()
			f.on(srv)
			n := open(t, srv.URL, dir, tc.c.Net, func(c *chain.Config) { c.Timeout = 200 * time.Millisecond })
			_, err := n.ReplayTipSet(ctx, ts.Height(), false)
			if err == nil || !strings.Contains(err.Error(), f.want) {
				t.Fatalf("error %v, want one naming %q", err, f.want)
			}
			if f.name == "missing block" && !errors.Is(err, chain.ErrAborted) {
				var mb *store.MissingBlockError
				if !errors.As(err, &mb) {
					t.Errorf("error %v is neither an abort nor a missing block", err)
				}
			}
			n.Close()
			inspectCache(t, dir, false)
			if f.target.Defined() && hasBlock(t, dir, f.target) {
				t.Errorf("%s is in the cache", f.target)
			}
			f.off(srv)
			n = open(t, srv.URL, dir, tc.c.Net)
			r, err := n.ReplayTipSet(ctx, ts.Height(), false)
			if err != nil || !r.OK() {
				t.Fatalf("after the fault: %v %v", err, r)
			}
			n.Close()
			inspectCache(t, dir, true)
		})
	}
}
