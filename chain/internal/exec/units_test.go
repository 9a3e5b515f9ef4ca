package exec_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	"golang.org/x/crypto/blake2b"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/chain/chaintest"
	"github.com/gofvm/gofvm/chain/internal/exec"
	"github.com/gofvm/gofvm/chain/internal/types"
	"github.com/gofvm/gofvm/kernel"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// TestMaxBeaconRound works chain.md §2.3's formula by hand for mainnet's
// two drand networks around the quicknet switch (Phoenix, 3,855,480).
func TestMaxBeaconRound(t *testing.T) {
	const genesis = 1_598_306_400
	chained := exec.DrandPoint{Start: 51_000, GenesisTime: 1_595_431_050, Period: 30}
	quick := exec.DrandPoint{Start: 3_855_480, GenesisTime: 1_692_803_367, Period: 3}
	for _, c := range []struct {
		nv   network.Version
		e    abi.ChainEpoch
		d    exec.DrandPoint
		want uint64
	}{
		// latest = 3,855,479·30 + 1,598,306,400 − 30 = 1,713,970,740;
		// (1,713,970,740 − 1,595,431,050)/30 + 1 = 3,951,323 + 1.
		{22, 3_855_479, chained, 3_951_324},
		// latest = 1,713,970,770; (1,713,970,770 − 1,692,803,367)/3 + 1 =
		// 7,055,801 + 1.
		{22, 3_855_480, quick, 7_055_802},
		// nv15 rule: no +1. latest = 1,000,000·30 + 1,598,306,370 =
		// 1,628,306,370; (1,628,306,370 − 1,595,431,050)/30 = 1,095,844.
		{15, 1_000_000, chained, 1_095_844},
	} {
		if got := exec.MaxBeaconRound(c.nv, c.e, genesis, 30, c.d); got != c.want {
			t.Errorf("MaxBeaconRound(nv%d, %d) = %d, want %d", c.nv, c.e, got, c.want)
		}
	}
}

// TestBaseFeeUtilization works chain.md §1.15's first rule by hand.
func TestBaseFeeUtilization(t *testing.T) {
	n := &exec.Network{PremiumBaseFeeHeight: -1}
	for _, c := range []struct {
		base   int64
		limits []int64 // one block
		want   int64
	}{
		// Empty: delta = −5e9 → change = (1000·−5e9 / 5e9) / 8 = −125.
		{1000, nil, 875},
		// Full: delta = +5e9 (clamped) → +125.
		{1000, []int64{6e9, 4e9, 3e9}, 1125},
		// At target: no change.
		{1000, []int64{5e9}, 1000},
		// Floor at 100: 101 − 12 = 89 → 100.
		{101, nil, 100},
		// delta = 2.5e9 − 5e9 = −2.5e9; 12345·−2.5e9 / 5e9 = −6172.5 → floor
		// −6173; / 8 = −771.625 → floor −772.
		{12345, []int64{2_500_000_000}, 12345 - 772},
	} {
		ts, msgs := tipsetWith(t, c.base, c.limits, 1000, 10)
		if got := n.NextBaseFee(ts, msgs); !got.Equals(big.NewInt(c.want)) {
			t.Errorf("base %d, limits %v: %s, want %d", c.base, c.limits, got, c.want)
		}
	}
}

// TestBaseFeePremium works FIP-0115's rule (chain.md §1.15) by hand.
func TestBaseFeePremium(t *testing.T) {
	n := &exec.Network{PremiumBaseFeeHeight: 0}
	// Gas below the index (7,999,999,999): premium 0; maxAdj = ceil(1000/8)
	// = 125; next = 1000 + min(125, 0 − 125) = 875.
	ts, msgs := tipsetWith(t, 1000, []int64{1e9}, 1100, 50)
	if got := n.NextBaseFee(ts, msgs); !got.Equals(big.NewInt(875)) {
		t.Errorf("little gas: %s, want 875", got)
	}
	// 9e9 of gas at premium min(300, 2000 − 1000) = 300: index covered;
	// next = 1000 + min(125, 300 − 125) = 1125.
	ts, msgs = tipsetWith(t, 1000, []int64{3e9, 3e9, 3e9}, 2000, 300)
	if got := n.NextBaseFee(ts, msgs); !got.Equals(big.NewInt(1125)) {
		t.Errorf("busy: %s, want 1125", got)
	}
	// Effective premium capped by fee cap − base fee = 1090 − 1000 = 90:
	// 1000 + min(125, 90 − 125) = 965.
	ts, msgs = tipsetWith(t, 1000, []int64{3e9, 3e9, 3e9}, 1090, 300)
	if got := n.NextBaseFee(ts, msgs); !got.Equals(big.NewInt(965)) {
		t.Errorf("capped: %s, want 965", got)
	}
}

// tipsetWith is a one-block tipset at height 10 with parent base fee base
// and one message per gas limit, from distinct senders.
func tipsetWith(t *testing.T, base int64, limits []int64, feeCap, premium int64) (*types.TipSet, [][]*types.ChainMessage) {
	t.Helper()
	h := &types.BlockHeader{Miner: chaintest.MinerAddr(0), Ticket: &types.Ticket{VRFProof: []byte{1}}, Height: 10,
		ParentBaseFee: big.NewInt(base), ParentWeight: big.Zero()}
	c, _ := h.Cid()
	ts, err := types.NewTipSet([]*types.BlockHeader{h}, []cid.Cid{c})
	if err != nil {
		t.Fatal(err)
	}
	var ms []*types.ChainMessage
	for i, l := range limits {
		m := &kernel.Message{From: testactors.KeyAddress(byte(i + 1)), To: chaintest.Bob, GasLimit: l,
			Value: big.Zero(), GasFeeCap: big.NewInt(feeCap), GasPremium: big.NewInt(premium)}
		raw, _ := m.Bytes()
		cm, err := types.BLSChainMessage(raw)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, cm)
	}
	return ts, [][]*types.ChainMessage{ms}
}

// TestChainRandomnessFromTickets: the tester draws chain randomness for an
// epoch; the kernel derives it from the digest the externs give, which is
// blake2b-256 of the min-ticket VRF proof of the tipset at that epoch, or
// the next one when the epoch is null (chain.md §2.2).
func TestChainRandomnessFromTickets(t *testing.T) {
	ctx := context.Background()
	c := newChain(t, 100)
	mine(t, c, 1)
	mine(t, c, 2)
	at5 := mine(t, c, 5, chaintest.BlockSpec{Miner: 0, WinCount: 1}, chaintest.BlockSpec{Miner: 2, WinCount: 1})
	var msgs []*kernel.Message
	for i, epoch := range []uint32{2, 3, 5} {
		msgs = append(msgs, &kernel.Message{From: chaintest.Alice, To: chaintest.TesterAddr, Nonce: uint64(i),
			Value: big.Zero(), GasLimit: 100_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(1),
			Method: testactors.MethodRandomness, Params: testactors.Params{A: 7, B: epoch}.Encode()})
	}
	ts := mine(t, c, 6, chaintest.BlockSpec{Miner: 1, WinCount: 1, Secp: msgs})
	mine(t, c, 7)
	res := c.Result(ts)
	if len(res.Messages) != 3 {
		t.Fatalf("%d messages applied", len(res.Messages))
	}
	view := exec.NewChainView(c.Store, ts)
	for i, epoch := range []abi.ChainEpoch{2, 3, 5} {
		src, err := view.At(ctx, epoch, false)
		if err != nil {
			t.Fatal(err)
		}
		if epoch == 3 && src.Height() != at5.Height() {
			t.Fatalf("null epoch 3 should draw from the tipset at 5, got %d", src.Height())
		}
		want := fvmcrypto.DeriveRandomness(7, blake2b.Sum256(src.MinTicketBlock().Ticket.VRFProof), int64(epoch), []byte{0x63, 'a', 'b', 'c'})
		r := res.Messages[i].Ret.Receipt
		if r.ExitCode != exitcode.Ok || !bytes.Equal(r.Return, append([]byte{0x58, 0x20}, want[:]...)) {
			t.Errorf("epoch %d: exit %d return %x, want %x", epoch, r.ExitCode, r.Return, want)
		}
	}
}

// TestTipsetKeyAndNulls: the key CID hashes a CBOR byte string of the
// concatenated block CIDs (chain.md §2.4); a null height resolves to the
// tipset before it for tipset CIDs and after it for randomness.
func TestTipsetKeyAndNulls(t *testing.T) {
	ctx := context.Background()
	c := newChain(t, 100)
	t1 := mine(t, c, 1, chaintest.BlockSpec{Miner: 0, WinCount: 1}, chaintest.BlockSpec{Miner: 1, WinCount: 1})
	t4 := mine(t, c, 4)
	var cat []byte
	for _, k := range t1.Cids() {
		cat = append(cat, k.Bytes()...)
	}
	hdr := []byte{0x58, byte(len(cat))} // two 38-byte CIDs: 76 bytes
	want, _ := abi.CidBuilder.Sum(append(hdr, cat...))
	if got, _ := t1.Key(); !got.Equals(want) {
		t.Errorf("key CID %s, want %s", got, want)
	}
	view := exec.NewChainView(c.Store, t4)
	for _, tc := range []struct {
		h    abi.ChainEpoch
		prev bool
		want abi.ChainEpoch
	}{{2, true, 1}, {2, false, 4}, {3, true, 1}, {1, false, 1}, {4, true, 4}, {-5, true, 0}} {
		ts, err := view.At(ctx, tc.h, tc.prev)
		if err != nil || ts.Height() != tc.want {
			t.Errorf("At(%d, prev=%v) = %v, %v; want height %d", tc.h, tc.prev, ts, err, tc.want)
		}
	}
}

// TestSelectionKeysByIDOnceAnIDSenderAppears: an actor that sends from its
// key address and then from its ID address in one tipset has one cursor
// once an ID sender appears (chain.md §1.5).
func TestSelectionKeysByIDOnceAnIDSenderAppears(t *testing.T) {
	alice := chaintest.Alice
	aliceID, _ := address.NewIDAddress(uint64(chaintest.AliceID))
	mk := func(from address.Address, nonce uint64) *types.ChainMessage {
		m := &kernel.Message{From: from, To: chaintest.Bob, Nonce: nonce, Value: big.Zero(), GasLimit: 1,
			GasFeeCap: big.Zero(), GasPremium: big.Zero()}
		raw, _ := m.Bytes()
		cm, _ := types.BLSChainMessage(raw)
		return cm
	}
	resolve := func(a address.Address) (abi.ActorID, bool, error) {
		if a == alice || a == aliceID {
			return chaintest.AliceID, true, nil
		}
		return 0, false, nil
	}
	blocks := [][]*types.ChainMessage{{mk(alice, 0), mk(alice, 1)}, {mk(aliceID, 1), mk(aliceID, 2)}}
	got, err := exec.SelectMessages(blocks, resolve)
	if err != nil {
		t.Fatal(err)
	}
	// alice/0, alice/1 in block 0; f0100/1 is a repeat of nonce 1; f0100/2 next.
	if len(got[0]) != 2 || len(got[1]) != 1 || got[1][0].Message.Nonce != 2 {
		t.Errorf("selected %d + %d", len(got[0]), len(got[1]))
	}
	// Before any ID sender, the key address and the ID are different keys.
	blocks = [][]*types.ChainMessage{{mk(alice, 0)}, {mk(alice, 1)}}
	if got, _ := exec.SelectMessages(blocks, resolve); len(got[0])+len(got[1]) != 2 {
		t.Error("consecutive nonces across blocks should both apply")
	}
}
