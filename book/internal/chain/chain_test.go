package chain_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/book/internal/chain"
	"github.com/gofvm/gofvm/book/internal/testworld"
	"github.com/gofvm/gofvm/kernel"
)

func newChain(t *testing.T) (*chain.Chain, *testactors.Genesis) {
	t.Helper()
	w, g, err := testworld.New(context.Background(), 18, true)
	if err != nil {
		t.Fatal(err)
	}
	c, err := chain.New(chain.Config{NetworkVersion: w.NetworkVersion, Store: w.Store, Genesis: w.Genesis,
		Engine: w.Engine, Reachability: w.Reachability, Record: true, Epoch: 10})
	if err != nil {
		t.Fatal(err)
	}
	return c, g
}

func msg(g *testactors.Genesis, nonce uint64, method abi.MethodNum, p testactors.Params) *kernel.Message {
	id := kernel.Message{From: g.Alice, To: g.Tester1, Nonce: nonce, Method: method, Params: p.Encode(),
		Value: big.Zero(), GasLimit: 1_000_000_000, GasFeeCap: big.NewInt(101), GasPremium: big.NewInt(1)}
	return &id
}

// Each message is recorded with its epoch, the pre- and post-state roots
// that chain the states together, and the digests it drew; the actor gets
// the derived randomness (fvm-abi.md §3.2 rand) of the chain's digest.
func TestApplyRecords(t *testing.T) {
	ctx := context.Background()
	c, g := newChain(t)
	genesisRoot := c.Root()
	m := msg(g, 0, testactors.MethodRandomness, testactors.Params{A: 7, B: 9})
	ret, err := c.Apply(ctx, m, m.ChainLength(), "s/g/randomness")
	if err != nil || ret.Receipt.ExitCode != exitcode.Ok {
		t.Fatalf("%v %v %s", err, ret.Receipt.ExitCode, ret.FailureInfo)
	}
	want := chain.Randomness(chain.KindChain, 7, 9, []byte("\x63abc"))
	// The tester returns the 32 bytes as a DAG-CBOR byte string.
	if !bytes.Equal(ret.Receipt.Return, append([]byte{0x58, 32}, want[:]...)) {
		t.Errorf("randomness %x, want %x", ret.Receipt.Return, want)
	}
	if err := c.AdvanceTo(ctx, 12); err != nil {
		t.Fatal(err)
	}
	m2 := msg(g, 1, testactors.MethodTipsetCid, testactors.Params{A: 11, B: 64})
	if _, err := c.Apply(ctx, m2, m2.ChainLength(), "s/g/tipset"); err != nil {
		t.Fatal(err)
	}
	recs := c.Records()
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	r0, r1 := recs[0], recs[1]
	if r0.Epoch != 10 || r1.Epoch != 12 || r0.PreRoot != genesisRoot || r1.PreRoot != r0.PostRoot || r1.PostRoot != c.Root() {
		t.Errorf("records do not chain: %+v / %+v", r0, r1)
	}
	if len(r0.Randomness) != 1 || r0.Randomness[0].Kind != chain.KindChain || r0.Randomness[0].Epoch != 9 ||
		r0.Randomness[0].Digest != chain.Digest(chain.KindChain, 9) || len(r1.Randomness) != 0 {
		t.Errorf("randomness records %+v %+v", r0.Randomness, r1.Randomness)
	}
	if r0.Label != "s/g/randomness" || r0.ChainLength != m.ChainLength() || r0.Receipt.ExitCode != exitcode.Ok {
		t.Errorf("record %+v", r0)
	}
	// tipset_cid fails: the chain has none (IllegalArgument from the
	// externs; the tester returns its error number).
	if c.Epoch() != 12 || c.PriorEpoch() != -1 {
		t.Errorf("epoch %d prior %d (no cron)", c.Epoch(), c.PriorEpoch())
	}
}

func TestNewRefusesNothing(t *testing.T) {
	if _, err := chain.New(chain.Config{}); err == nil {
		t.Fatal("a chain without a store was built")
	}
}

func TestDigestsDiffer(t *testing.T) {
	if chain.Digest(chain.KindChain, 1) == chain.Digest(chain.KindBeacon, 1) || chain.Digest(chain.KindChain, 1) == chain.Digest(chain.KindChain, 2) {
		t.Fatal("digests collide")
	}
	if chain.Timestamp(3) != 90 {
		t.Fatal("timestamp is not epoch × 30")
	}
}
