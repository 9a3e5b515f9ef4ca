package actors

import (
	"bytes"
	"context"
	"encoding/hex"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
)

func TestEmptyArrayCID(t *testing.T) {
	// fvm-abi.md §8.4.
	if got := EmptyArrayCID.String(); got != "bafy2bzacebc3bt6cedhoyw34drrmjvazhu4oj25er2ebk4u445pzycvq4ta4a" {
		t.Fatalf("empty array CID %s", got)
	}
	bs := newMemBlocks()
	c, err := PutEmptyArray(context.Background(), cbor.NewCborStore(bs))
	if err != nil || c != EmptyArrayCID || len(bs.m) != 1 {
		t.Fatalf("PutEmptyArray: %s %v", c, err)
	}
}

func TestActorEncoding(t *testing.T) {
	code, head := rawCid(t, "code"), EmptyArrayCID
	f4, err := address.NewDelegatedAddress(10, []byte{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		a       Actor
		version uint64
		prefix  string // CBOR tuple header and, where short, more
	}{
		{"v4", Actor{Code: code, Head: head, Nonce: 1, Balance: big.NewInt(256)}, 4, "84"},
		{"v5 no delegated", Actor{Code: code, Head: head, Balance: big.Zero()}, 5, "85"},
		{"v5 delegated", Actor{Code: code, Head: head, Balance: big.Zero(), DelegatedAddress: &f4}, 5, "85"},
	}
	for _, c := range cases {
		raw, err := encodeActor(&c.a, c.version)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if hex.EncodeToString(raw[:1]) != c.prefix {
			t.Errorf("%s: header %x", c.name, raw[:1])
		}
		got, err := decodeActor(raw, c.version)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Code != c.a.Code || got.Head != c.a.Head || got.Nonce != c.a.Nonce || !got.Balance.Equals(c.a.Balance) ||
			(got.DelegatedAddress == nil) != (c.a.DelegatedAddress == nil) ||
			(got.DelegatedAddress != nil && *got.DelegatedAddress != *c.a.DelegatedAddress) {
			t.Errorf("%s: round trip %+v", c.name, got)
		}
	}
	// Balance 256 is the BigInt byte string [0x00 sign, 0x01, 0x00] (fvm-abi.md §8.4),
	// nonce 1: the record ends 01 43 00 01 00.
	raw, _ := encodeActor(&cases[0].a, 4)
	if !bytes.HasSuffix(raw, []byte{0x01, 0x43, 0x00, 0x01, 0x00}) {
		t.Errorf("v4 tail %x", raw[len(raw)-5:])
	}
	// The v5 null delegated address is CBOR null (f6).
	raw, _ = encodeActor(&cases[1].a, 5)
	if raw[len(raw)-1] != 0xf6 {
		t.Errorf("v5 tail %x", raw[len(raw)-1])
	}
	if _, err := encodeActor(&cases[2].a, 4); err == nil {
		t.Error("v4 must refuse a delegated address")
	}
	if _, err := decodeActor(append(raw, 0), 5); err == nil {
		t.Error("trailing bytes accepted")
	}
	if _, err := decodeActor(raw, 4); err == nil {
		t.Error("a 5-tuple decoded as v4")
	}
}

func TestStateTreeGetSetDelete(t *testing.T) {
	for _, nv := range []network.Version{network.Version17, network.Version18} {
		f := newFixture(t, nv)
		st := f.st
		a, err := st.GetActor(100)
		if err != nil || a == nil || a.Nonce != 7 || !a.Balance.Equals(big.NewInt(5000)) {
			t.Fatalf("nv%d get 100: %+v %v", nv, a, err)
		}
		// GetActor returns a copy.
		a.Nonce = 99
		a.Balance.Int.SetInt64(1) // in-place big.Int edit on the copy
		if b, _ := st.GetActor(100); b.Nonce != 7 || !b.Balance.Equals(big.NewInt(5000)) {
			t.Fatal("GetActor exposed the cache")
		}
		// SetActor stores a copy too.
		c := &Actor{Code: f.codes["account"], Head: EmptyArrayCID, Balance: big.NewInt(3)}
		_ = st.SetActor(500, c)
		c.Nonce, c.Balance.Int = 9, nil
		if b, _ := st.GetActor(500); b.Nonce != 0 || !b.Balance.Equals(big.NewInt(3)) {
			t.Fatal("SetActor kept the caller's record")
		}
		_ = st.DeleteActor(500)
		if a, err := st.GetActor(12345); a != nil || err != nil {
			t.Fatalf("absent actor: %+v %v", a, err)
		}
		if err := st.DeleteActor(101); err != nil {
			t.Fatal(err)
		}
		if a, _ := st.GetActor(101); a != nil {
			t.Fatal("deleted actor still there")
		}
		root, err := st.Flush()
		if err != nil {
			t.Fatal(err)
		}
		st2, err := LoadStateTree(context.Background(), f.store, root, nv)
		if err != nil {
			t.Fatal(err)
		}
		want := map[abi.ActorID]bool{0: true, 1: true, 99: true, 100: true}
		n := 0
		err = st2.ForEach(func(id abi.ActorID, a *Actor) error {
			if !want[id] {
				t.Errorf("unexpected actor %d", id)
			}
			n++
			return nil
		})
		if err != nil || n != len(want) {
			t.Fatalf("ForEach: %d actors, %v", n, err)
		}
		if st2.Version() != map[network.Version]uint64{17: 4, 18: 5}[nv] {
			t.Errorf("version %d", st2.Version())
		}
	}
}

func TestStateTreeDelegatedAddressNeedsV5(t *testing.T) {
	f := newFixture(t, network.Version17)
	f4, _ := address.NewDelegatedAddress(10, []byte{9})
	if err := f.st.SetActor(200, &Actor{Code: f.codes["account"], Head: EmptyArrayCID, Balance: big.Zero(), DelegatedAddress: &f4}); err == nil {
		t.Fatal("nv17 tree accepted a delegated address")
	}
}

func TestStateTreeLookupAndRegister(t *testing.T) {
	f := newFixture(t, network.Version18)
	st := f.st
	alice, bob, carol := secpAddr(t, "alice"), secpAddr(t, "bob"), secpAddr(t, "carol")
	for _, c := range []struct {
		a     address.Address
		id    abi.ActorID
		found bool
	}{
		{alice, 100, true}, {bob, 101, true}, {carol, 0, false},
		{idAddr(t, 100), 100, true},
		{idAddr(t, 777), 777, true}, // ID addresses resolve without existence check
	} {
		id, ok, err := st.LookupID(c.a)
		if err != nil || ok != c.found || id != c.id {
			t.Errorf("lookup %s: %d %v %v", c.a, id, ok, err)
		}
	}
	id, err := st.RegisterNewAddress(carol)
	if err != nil || id != 102 {
		t.Fatalf("register: %d %v", id, err)
	}
	if got, ok, _ := st.LookupID(carol); !ok || got != 102 {
		t.Fatalf("carol → %d %v", got, ok)
	}
	// next_id moved on, and the init state was re-stored.
	init, _ := st.GetActor(InitActorID)
	var s InitState
	if err := f.store.Get(context.Background(), init.Head, &s); err != nil {
		t.Fatal(err)
	}
	if s.NextID != 103 || s.NetworkName != "gofvm-test" {
		t.Errorf("init state %+v", s)
	}
	// A fresh tree over the flushed root resolves carol from the map itself.
	root, err := st.Flush()
	if err != nil {
		t.Fatal(err)
	}
	st2, err := LoadStateTree(context.Background(), f.store, root, network.Version18)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok, err := st2.LookupID(carol); !ok || got != 102 || err != nil {
		t.Fatalf("reloaded carol → %d %v %v", got, ok, err)
	}
	if _, err := st.RegisterNewAddress(idAddr(t, 5)); err == nil {
		t.Error("registered an ID address")
	}
}

func TestStateTreeTransactions(t *testing.T) {
	f := newFixture(t, network.Version18)
	st := f.st
	base, err := st.Flush()
	if err != nil {
		t.Fatal(err)
	}
	nonce := func(id abi.ActorID) int64 {
		a, err := st.GetActor(id)
		if err != nil {
			t.Fatal(err)
		}
		if a == nil {
			return -1
		}
		return int64(a.Nonce)
	}
	setNonce := func(id abi.ActorID, n uint64) {
		a, _ := st.GetActor(id)
		if a == nil {
			a = &Actor{Code: f.codes["account"], Head: EmptyArrayCID, Balance: big.Zero()}
		}
		a.Nonce = n
		if err := st.SetActor(id, a); err != nil {
			t.Fatal(err)
		}
	}
	dave := secpAddr(t, "dave")

	st.BeginTransaction()
	setNonce(100, 8)
	st.BeginTransaction()
	setNonce(100, 9)
	setNonce(300, 1)
	_ = st.DeleteActor(101)
	if _, err := st.RegisterNewAddress(dave); err != nil {
		t.Fatal(err)
	}
	st.BeginTransaction()
	setNonce(100, 10)
	if err := st.EndTransaction(false); err != nil { // commit into the middle layer
		t.Fatal(err)
	}
	if nonce(100) != 10 || nonce(300) != 1 || nonce(101) != -1 {
		t.Fatal("inner commit lost")
	}
	if _, err := st.Flush(); err != ErrInTransaction {
		t.Fatalf("flush in transaction: %v", err)
	}
	if err := st.EndTransaction(true); err != nil { // revert the middle layer
		t.Fatal(err)
	}
	if nonce(100) != 8 || nonce(300) != -1 || nonce(101) != 0 {
		t.Fatalf("revert: 100=%d 300=%d 101=%d", nonce(100), nonce(300), nonce(101))
	}
	if _, ok, _ := st.LookupID(dave); ok {
		t.Fatal("reverted registration still resolves")
	}
	if err := st.EndTransaction(true); err != nil {
		t.Fatal(err)
	}
	if err := st.EndTransaction(false); err != ErrNoTransaction {
		t.Fatalf("unbalanced end: %v", err)
	}
	// Everything reverted: the root is unchanged.
	root, err := st.Flush()
	if err != nil {
		t.Fatal(err)
	}
	if root != base {
		t.Fatalf("reverted state flushed to %s, want %s", root, base)
	}
	// Registering again reuses id 102: the init state was rolled back too.
	if id, err := st.RegisterNewAddress(dave); err != nil || id != 102 {
		t.Fatalf("re-register: %d %v", id, err)
	}
}

// The root does not depend on the order of writes, only on the final state.
func TestStateTreeFlushDeterministic(t *testing.T) {
	build := func(order []abi.ActorID) cid.Cid {
		f := newFixture(t, network.Version18)
		for _, id := range order {
			if err := f.st.SetActor(id, &Actor{Code: f.codes["account"], Head: EmptyArrayCID, Nonce: uint64(id), Balance: big.NewInt(int64(id))}); err != nil {
				t.Fatal(err)
			}
		}
		c, err := f.st.Flush()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ids := make([]abi.ActorID, 0, 200)
	for i := 1000; i < 1200; i++ {
		ids = append(ids, abi.ActorID(i))
	}
	rev := make([]abi.ActorID, len(ids))
	for i := range ids {
		rev[i] = ids[len(ids)-1-i]
	}
	a, b := build(ids), build(rev)
	if a != b {
		t.Fatalf("order-dependent roots %s %s", a, b)
	}
	// Flushing twice with no change gives the same root.
	f := newFixture(t, network.Version17)
	r1, _ := f.st.Flush()
	r2, _ := f.st.Flush()
	if r1 != r2 {
		t.Fatal("second flush changed the root")
	}
}

func TestStateTreeMissingBlocks(t *testing.T) {
	f := newFixture(t, network.Version18)
	for i := 1000; i < 1100; i++ { // enough actors for a multi-level HAMT
		_ = f.st.SetActor(abi.ActorID(i), &Actor{Code: f.codes["account"], Head: EmptyArrayCID, Balance: big.Zero()})
	}
	root, err := f.st.Flush()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := LoadStateTree(ctx, f.store, rawCid(t, "nothing"), network.Version18); err == nil {
		t.Fatal("loaded a missing root")
	}
	if _, err := LoadStateTree(ctx, f.store, root, network.Version17); err == nil {
		t.Fatal("v5 root accepted at nv17")
	}
	if _, err := LoadStateTree(ctx, f.store, root, network.Version16); err == nil {
		t.Fatal("nv16 accepted")
	}
	// Drop every block but the state root and the HAMT root: lookups must
	// fail with an error, not panic.
	var sr StateRoot
	if err := f.store.Get(ctx, root, &sr); err != nil {
		t.Fatal(err)
	}
	keep := map[cid.Cid]bool{root: true, sr.Actors: true}
	for _, c := range f.bs.keys() {
		if !keep[c] {
			delete(f.bs.m, c)
		}
	}
	st, err := LoadStateTree(ctx, f.store, root, network.Version18)
	if err != nil {
		t.Fatal(err)
	}
	var missing int
	for i := 1000; i < 1100; i++ {
		if _, err := st.GetActor(abi.ActorID(i)); err != nil {
			missing++
		}
	}
	if missing == 0 {
		t.Fatal("no lookup noticed the missing nodes")
	}
	if _, _, err := st.LookupID(secpAddr(t, "alice")); err == nil {
		t.Fatal("lookup without the init state succeeded")
	}
}

func BenchmarkGetActorWarm(b *testing.B) {
	f := newFixture(b, network.Version18)
	for i := 1000; i < 11000; i++ {
		_ = f.st.SetActor(abi.ActorID(i), &Actor{Code: f.codes["account"], Head: EmptyArrayCID, Balance: big.Zero()})
	}
	root, err := f.st.Flush()
	if err != nil {
		b.Fatal(err)
	}
	st, err := LoadStateTree(context.Background(), f.store, root, network.Version18)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]abi.ActorID, 0, 1000)
	for i := 0; i < 1000; i++ {
		ids = append(ids, abi.ActorID(1000+i*10))
	}
	b.Run("cached", func(b *testing.B) {
		for _, id := range ids {
			_, _ = st.GetActor(id)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := st.GetActor(ids[i%len(ids)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hamt-warm", func(b *testing.B) {
		// HAMT nodes loaded (the node cache is warm), actor cache cold.
		for _, id := range ids {
			_, _ = st.GetActor(id)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			id := ids[i%len(ids)]
			delete(st.cache, id)
			if _, err := st.GetActor(id); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkLookupID(b *testing.B) {
	f := newFixture(b, network.Version18)
	alice := secpAddr(b, "alice")
	b.Run("resolution-cache", func(b *testing.B) {
		_, _, _ = f.st.LookupID(alice)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, ok, err := f.st.LookupID(alice); !ok || err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("init-map-warm", func(b *testing.B) {
		k := string(alice.Bytes())
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			delete(f.st.resolved, k)
			if _, ok, err := f.st.LookupID(alice); !ok || err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFlush100Dirty(b *testing.B) {
	f := newFixture(b, network.Version18)
	for i := 1000; i < 11000; i++ {
		_ = f.st.SetActor(abi.ActorID(i), &Actor{Code: f.codes["account"], Head: EmptyArrayCID, Balance: big.Zero()})
	}
	if _, err := f.st.Flush(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < 100; j++ {
			id := abi.ActorID(1000 + (i*100+j)%10000)
			_ = f.st.SetActor(id, &Actor{Code: f.codes["account"], Head: EmptyArrayCID, Nonce: uint64(i), Balance: big.Zero()})
		}
		if _, err := f.st.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}
