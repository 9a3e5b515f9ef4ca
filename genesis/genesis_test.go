package genesis

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	init18 "github.com/filecoin-project/go-state-types/builtin/v18/init"
	"github.com/filecoin-project/go-state-types/builtin/v18/util/adt"
	"github.com/filecoin-project/go-state-types/manifest"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/actors/testactors"
)

// versions pairs each actors version with a network version that runs it
// (fvm-abi-next.md §10).
var versions = []struct {
	nv network.Version
	av int
}{
	{16, 8}, {17, 9}, {18, 10}, {19, 11}, {20, 11}, {21, 12}, {22, 13}, {23, 14},
	{24, 15}, {25, 16}, {26, 16}, {27, 17}, {28, 18},
}

// fakeBundle is a manifest naming every actor an actors version needs, with
// made-up code CIDs (genesis never runs code).
func fakeBundle(t testing.TB, av int) actors.BundleManifest {
	t.Helper()
	bm := actors.BundleManifest{Version: 1}
	for _, n := range RequiredNames(av) {
		c, err := cid.V1Builder{Codec: cid.Raw, MhType: mh.IDENTITY}.Sum([]byte(fmt.Sprintf("fil/%d/%s", av, n)))
		if err != nil {
			t.Fatal(err)
		}
		bm.Entries = append(bm.Entries, manifest.ManifestEntry{Name: n, Code: c})
	}
	data, err := cid.V1Builder{Codec: cid.DagCBOR, MhType: mh.IDENTITY}.Sum([]byte("manifest data"))
	if err != nil {
		t.Fatal(err)
	}
	bm.Data = data
	return bm
}

func secp(seed byte) address.Address {
	pk := bytes.Repeat([]byte{seed}, 65)
	pk[0] = 4
	a, _ := address.NewSecp256k1Address(pk)
	return a
}

func bls(seed byte) address.Address {
	a, _ := address.NewBLSAddress(bytes.Repeat([]byte{seed}, 48))
	return a
}

func fil(n int64) abi.TokenAmount { return big.Mul(big.NewInt(n), FIL) }

func template() Template {
	return Template{
		NetworkName: "test",
		Accounts:    []Account{{secp(1), fil(1000)}, {bls(2), fil(2000)}, {secp(3), fil(0)}},
		RootKey:     Account{secp(9), fil(5)},
		Reserve:     secp(8),
	}
}

// TestBuild checks the genesis of every actors version against Lotus's
// genesis layout (chain/gen/genesis/genesis.go): ids, codes, balances that
// add up to 2 billion FIL, the init actor's map and next id, and the bytes of
// the small states, written out by hand.
func TestBuild(t *testing.T) {
	ctx := context.Background()
	for _, v := range versions {
		t.Run(fmt.Sprintf("nv%d", v.nv), func(t *testing.T) {
			store := testactors.NewMemStore()
			bm := fakeBundle(t, v.av)
			g, err := Build(ctx, store, v.nv, bm, template())
			if err != nil {
				t.Fatal(err)
			}
			if g.ActorsVersion != v.av {
				t.Fatalf("actors version %d, want %d", g.ActorsVersion, v.av)
			}
			cs := cbor.NewCborStore(store)
			st, err := LoadStateTree(ctx, cs, g.Root, v.nv)
			if err != nil {
				t.Fatal(err)
			}
			wantRootVersion := uint64(4)
			if v.nv >= 18 {
				wantRootVersion = 5
			}
			if st.Version() != wantRootVersion {
				t.Errorf("StateRoot version %d, want %d", st.Version(), wantRootVersion)
			}

			code := func(n string) cid.Cid { return g.Codes[n] }
			want := map[abi.ActorID]struct {
				name string
				bal  abi.TokenAmount
			}{
				0: {SystemName, fil(0)}, 1: {InitName, fil(0)}, 2: {RewardName, fil(1_100_000_000)},
				3: {CronName, fil(0)}, 4: {PowerName, fil(0)}, 5: {MarketName, fil(0)},
				6: {VerifregName, fil(0)}, 80: {AccountName, fil(5)}, 99: {AccountName, fil(0)},
				100: {AccountName, fil(1000)}, 101: {AccountName, fil(2000)}, 102: {AccountName, fil(0)},
				// 2e9 − 1.1e9 − 5 − 1000 − 2000
				90: {AccountName, fil(899_996_995)},
			}
			if v.av >= 9 {
				want[7] = struct {
					name string
					bal  abi.TokenAmount
				}{DatacapName, fil(0)}
			}
			if v.av >= 10 {
				want[10] = struct {
					name string
					bal  abi.TokenAmount
				}{EAMName, fil(0)}
				want[1000] = struct {
					name string
					bal  abi.TokenAmount
				}{EthAccountN, fil(0)}
			}
			total := big.Zero()
			n := 0
			if err := st.ForEach(func(id abi.ActorID, a *actors.Actor) error {
				n++
				total = big.Add(total, a.Balance)
				w, ok := want[id]
				if !ok {
					t.Errorf("unexpected actor f0%d", id)
					return nil
				}
				if a.Code != code(w.name) {
					t.Errorf("f0%d code is not %s", id, w.name)
				}
				if !a.Balance.Equals(w.bal) {
					t.Errorf("f0%d balance %s, want %s", id, a.Balance, w.bal)
				}
				if a.Nonce != 0 {
					t.Errorf("f0%d nonce %d", id, a.Nonce)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if n != len(want) {
				t.Errorf("%d actors, want %d", n, len(want))
			}
			if !total.Equals(fil(2_000_000_000)) {
				t.Errorf("total balance %s, want 2e27", total)
			}

			// Hand-encoded states: system [data], cron [[[f04, 5], [f05, 9]]]
			// (power OnEpochTickEnd, market CronTick), burnt funds [f099].
			headBytes := func(id abi.ActorID) string {
				a, err := st.GetActor(id)
				if err != nil || a == nil {
					t.Fatalf("f0%d: %v", id, err)
				}
				blk, err := store.Get(ctx, a.Head)
				if err != nil {
					t.Fatal(err)
				}
				return hex.EncodeToString(blk.RawData())
			}
			// CBOR tag 42 over the bytes 0x00 ‖ CID (short form: 0x40 + length).
			cidBytes := append([]byte{0}, bm.Data.Bytes()...)
			if got, want := headBytes(0), "81d82a"+hex.EncodeToString(append([]byte{0x40 + byte(len(cidBytes))}, cidBytes...)); got != want {
				t.Errorf("system state %s, want %s", got, want)
			}
			if got := headBytes(3); got != "818282420004058242000509" {
				t.Errorf("cron state %s", got)
			}
			if got := headBytes(99); got != "8142"+"0063" {
				t.Errorf("burnt funds state %s", got)
			}

			// init: network name, the key accounts' ids, next id.
			a, _ := st.GetActor(InitID)
			var ist init18.State
			if err := cs.Get(ctx, a.Head, &ist); err != nil {
				t.Fatal(err)
			}
			nextWant := abi.ActorID(1000)
			if v.av >= 10 {
				nextWant = 1001
			}
			if ist.NetworkName != "test" || ist.NextID != nextWant {
				t.Errorf("init %q next %d, want test %d", ist.NetworkName, ist.NextID, nextWant)
			}
			s := adt.WrapStore(ctx, cs)
			tmpl := template()
			for addr, id := range map[address.Address]uint64{
				tmpl.Accounts[0].Address: 100, tmpl.Accounts[1].Address: 101, tmpl.Accounts[2].Address: 102,
			} {
				got, ok, err := ist.ResolveAddress(s, addr)
				if err != nil || !ok || got.String() != fmt.Sprintf("f0%d", id) {
					t.Errorf("init resolves %s to %s %v %v, want f0%d", addr, got, ok, err, id)
				}
			}
			// Ids below 100 are never mapped (the actors' init invariants).
			for _, a := range []address.Address{tmpl.RootKey.Address, tmpl.Reserve} {
				if _, ok, _ := ist.ResolveAddress(s, a); ok {
					t.Errorf("init maps %s", a)
				}
			}
			if v.av >= 10 {
				zero, _ := address.NewDelegatedAddress(10, make([]byte, 20))
				got, ok, _ := ist.ResolveAddress(s, zero)
				if !ok || got.String() != "f01000" {
					t.Errorf("zero eth address resolves to %s", got)
				}
				eth, _ := st.GetActor(1000)
				if eth.DelegatedAddress == nil || *eth.DelegatedAddress != zero || eth.Head != actors.EmptyArrayCID {
					t.Errorf("eth zero account %+v", eth)
				}
				if g.EthZero != 1000 || g.EthZeroAddress != zero {
					t.Errorf("Genesis.EthZero %d %s", g.EthZero, g.EthZeroAddress)
				}
			}
			if fmt.Sprint(g.Accounts) != "[100 101 102]" || !g.ReserveBalance.Equals(fil(899_996_995)) {
				t.Errorf("Genesis accounts %v reserve %s", g.Accounts, g.ReserveBalance)
			}
		})
	}
}

func TestBuildRefusals(t *testing.T) {
	ctx := context.Background()
	bm := fakeBundle(t, 10)
	tests := []struct {
		name string
		nv   network.Version
		bm   actors.BundleManifest
		edit func(*Template)
		want string
	}{
		{"missing actor", 18, fakeBundle(t, 9), nil, `no "placeholder" actor`},
		{"unknown version", 99, bm, nil, "network version"},
		{"id account", 18, bm, func(t *Template) { t.Accounts[0].Address, _ = address.NewIDAddress(5) }, "not an f1 or f3"},
		{"duplicate", 18, bm, func(t *Template) { t.Accounts[1].Address = t.Accounts[0].Address }, "listed twice"},
		{"negative", 18, bm, func(t *Template) { t.Accounts[0].Balance = big.NewInt(-1) }, "negative"},
		{"nil balance", 18, bm, func(t *Template) { t.RootKey.Balance = abi.TokenAmount{} }, "no or a negative"},
		{"too rich", 18, bm, func(t *Template) { t.Accounts[0].Balance = fil(1_000_000_000) }, "more than the total"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := template()
			if tc.edit != nil {
				tc.edit(&tmpl)
			}
			_, err := Build(ctx, testactors.NewMemStore(), tc.nv, tc.bm, tmpl)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

// The reserve without a key is keyed by its own id address.
func TestReserveWithoutKey(t *testing.T) {
	ctx := context.Background()
	store := testactors.NewMemStore()
	tmpl := template()
	tmpl.Reserve = address.Undef
	g, err := Build(ctx, store, 17, fakeBundle(t, 9), tmpl)
	if err != nil {
		t.Fatal(err)
	}
	st, err := LoadStateTree(ctx, cbor.NewCborStore(store), g.Root, 17)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := st.GetActor(ReserveID)
	blk, _ := store.Get(ctx, a.Head)
	if got := hex.EncodeToString(blk.RawData()); got != "8142005a" { // [f090]
		t.Errorf("reserve state %s", got)
	}
}
