package actors

import (
	"archive/tar"
	"bytes"
	"context"
	"testing"

	"github.com/filecoin-project/go-state-types/manifest"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	car "github.com/ipld/go-car"
	"github.com/ipld/go-car/util"
	"github.com/klauspost/compress/zstd"
	"github.com/multiformats/go-multihash"
)

// fakeBundle writes a CARv1 bundle of our own: root [1, data], data
// [[name, code]...], and one raw "wasm" block per name.
func fakeBundle(t testing.TB, names ...string) (carBytes []byte, root cid.Cid, codes []cid.Cid) {
	t.Helper()
	bs := newMemBlocks()
	store := cbor.NewCborStore(bs)
	ctx := context.Background()
	var data manifest.ManifestData
	var raws []blocks.Block
	for _, n := range names {
		wasm := []byte("\x00asm\x01\x00\x00\x00" + n)
		c, err := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: multihash.BLAKE2B_MIN + 31, MhLength: -1}.Sum(wasm)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := blocks.NewBlockWithCid(wasm, c)
		raws = append(raws, b)
		codes = append(codes, c)
		data.Entries = append(data.Entries, manifest.ManifestEntry{Name: n, Code: c})
	}
	dataCid, err := store.Put(ctx, &data)
	if err != nil {
		t.Fatal(err)
	}
	root, err = store.Put(ctx, &manifest.Manifest{Version: 1, Data: dataCid})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := car.WriteHeader(&car.CarHeader{Roots: []cid.Cid{root}, Version: 1}, &buf); err != nil {
		t.Fatal(err)
	}
	for _, c := range []cid.Cid{root, dataCid} {
		b, _ := bs.Get(ctx, c)
		_ = util.LdWrite(&buf, c.Bytes(), b.RawData())
	}
	for _, b := range raws {
		_ = util.LdWrite(&buf, b.Cid().Bytes(), b.RawData())
	}
	return buf.Bytes(), root, codes
}

func tarZst(t testing.TB, files map[string][]byte, order []string) []byte {
	t.Helper()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, name := range order {
		data := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write(data)
	}
	_ = tw.Close()
	var zb bytes.Buffer
	zw, _ := zstd.NewWriter(&zb)
	_, _ = zw.Write(tb.Bytes())
	_ = zw.Close()
	return zb.Bytes()
}

func TestLoadBundleCar(t *testing.T) {
	carBytes, root, codes := fakeBundle(t, "system", "init", "account")
	bs := newMemBlocks()
	ms, err := LoadBundle(context.Background(), bytes.NewReader(carBytes), bs.put)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Root != root || ms[0].Version != 1 || len(ms[0].Entries) != 3 {
		t.Fatalf("manifests %+v", ms)
	}
	if len(bs.m) != 5 {
		t.Errorf("%d blocks stored, want 5", len(bs.m))
	}
	m, err := LoadManifest(context.Background(), cbor.NewCborStore(bs), ms[0].Data, network.Version17)
	if err != nil {
		t.Fatal(err)
	}
	if m.TypeOf(codes[2]) != 3 || !m.IsAccount(codes[2]) || m.TypeOf(root) != 0 {
		t.Error("manifest types")
	}
	// nv18 requires placeholder, eam and ethaccount.
	if _, err := LoadManifest(context.Background(), cbor.NewCborStore(bs), ms[0].Data, network.Version18); err == nil {
		t.Error("nv18 manifest without placeholder accepted")
	}
}

func TestLoadBundleRejectsBadHash(t *testing.T) {
	carBytes, _, _ := fakeBundle(t, "system", "init", "account")
	bad := append([]byte(nil), carBytes...)
	bad[len(bad)-1] ^= 0xff // last byte of the last wasm block
	if _, err := LoadBundle(context.Background(), bytes.NewReader(bad), nil); err == nil {
		t.Fatal("corrupted block accepted")
	}
	if _, err := LoadBundle(context.Background(), bytes.NewReader(carBytes[:len(carBytes)-3]), nil); err == nil {
		t.Fatal("truncated CAR accepted")
	}
	if _, err := LoadBundle(context.Background(), bytes.NewReader([]byte("not a car")), nil); err == nil {
		t.Fatal("garbage accepted")
	}
}

func TestLoadBundleTarZst(t *testing.T) {
	main, mainRoot, _ := fakeBundle(t, "system", "init", "account")
	calib, calibRoot, _ := fakeBundle(t, "system", "init", "account", "cron")
	files := map[string][]byte{
		"./builtin-actors-calibrationnet.car": calib,
		"./builtin-actors-mainnet.car":        main,
		"./README":                            []byte("not a car"),
	}
	tz := tarZst(t, files, []string{"./README", "./builtin-actors-calibrationnet.car", "./builtin-actors-mainnet.car"})
	all, err := LoadBundle(context.Background(), bytes.NewReader(tz), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Root != calibRoot || all[1].Root != mainRoot || all[1].Source != "./builtin-actors-mainnet.car" {
		t.Fatalf("all: %+v", all)
	}
	only, err := LoadBundle(context.Background(), bytes.NewReader(tz), nil, WithCarNames(MainnetCar))
	if err != nil || len(only) != 1 || only[0].Root != mainRoot {
		t.Fatalf("mainnet only: %+v %v", only, err)
	}
	if _, err := LoadBundle(context.Background(), bytes.NewReader(tz), nil, WithCarNames("nope.car")); err == nil {
		t.Fatal("no match should be an error")
	}
	b := NewBundles()
	if err := b.Load(context.Background(), bytes.NewReader(tz)); err != nil {
		t.Fatal(err)
	}
	for _, m := range b.Manifests() {
		for _, e := range m.Entries {
			w, ok := b.Wasm(e.Code)
			if !ok || !bytes.HasSuffix(w, []byte(e.Name)) {
				t.Errorf("wasm for %s", e.Name)
			}
		}
	}
	if _, ok := b.Wasm(mainRoot); ok {
		t.Error("a manifest block served as wasm")
	}
	bs := newMemBlocks()
	if err := b.PutManifestBlocks(bs.put); err != nil || len(bs.m) != 4 {
		t.Fatalf("manifest blocks: %d %v", len(bs.m), err)
	}
}

// The real mainnet bundles (conformance.md §1.6, fvm-abi.md §8.1).
func TestMainnetBundles(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		file, root, data string
		n                int
		nv               network.Version
		code             map[string]string
		sizes            map[string]int
	}{
		{"bundles/v9.tar.zst", "bafy2bzaceb6j6666h36xnhksu3ww4kxb6e25niayfgkdnifaqi6m6ooc66i6i",
			"bafy2bzacebhoemuuebamhlw7mbr7ehljkymyaf75ywlw4irms4xv3oosskpyk", 12, network.Version17,
			map[string]string{
				"system":  "bafk2bzaceagvlo2jtahj7dloshrmwfulrd6e2izqev32qm46eumf754weec6c",
				"account": "bafk2bzacect2p7urje3pylrrrjy3tngn6yaih4gtzauuatf2jllk3ksgfiw2y",
				"datacap": "bafk2bzacebb6uy2ys7tapekmtj7apnjg7oyj4ia5t7tlkvbmwtxwv74lb2pug",
			},
			map[string]int{"account": 214_527, "storageminer": 1_321_885}},
		{"bundles/v10/builtin-actors-mainnet.car", "bafy2bzacecsuyf7mmvrhkx2evng5gnz5canlnz2fdlzu2lvcgptiq2pzuovos",
			"bafy2bzacea5a4r4pgc5pjcy2kx7mcbjcmc72chs7qqyl5o4jirxiplnqdmpo2", 16, network.Version18,
			map[string]string{
				"account":     "bafk2bzaceampw4romta75hyz5p4cqriypmpbgnkxncgxgqn6zptv5lsp2w2bo",
				"placeholder": "bafk2bzacedfvut2myeleyq67fljcrw4kkmn5pb5dpyozovj7jpoez5irnc3ro",
				"evm":         "bafk2bzaceahmzdxhqsm7cu2mexusjp6frm7r4kdesvti3etv5evfqboos2j4g",
				"ethaccount":  "bafk2bzaceaqoc5zakbhjxn3jljc4lxnthllzunhdor7sxhwgmskvc6drqc3fa",
			},
			map[string]int{"placeholder": 143, "evm": 750_979, "ethaccount": 123_992}},
		// fvm-abi-next.md §9, §10: v8 (nv16) has 11 actors and no datacap;
		// v11 (nv19–20) the 16 of v10.
		{"bundles/v8/builtin-actors-mainnet.car", "bafy2bzacebogjbpiemi7npzxchgcjjki3tfxon4ims55obfyfleqntteljsea",
			"", 11, network.Version16, nil, nil},
		{"bundles/v11/builtin-actors-mainnet.car", "bafy2bzacecnhaiwcrpyjvzl4uv4q3jzoif26okl3m66q3cijp3dfwlcxwztwo",
			"", 16, network.Version19, nil, nil},
	} {
		p := needConformance(t, c.file)
		b := NewBundles()
		if err := b.LoadFile(ctx, p, WithCarNames(MainnetCar)); err != nil {
			t.Fatal(err)
		}
		ms := b.Manifests()
		if len(ms) != 1 {
			t.Fatalf("%s: %d manifests", c.file, len(ms))
		}
		bm := ms[0]
		if bm.Root.String() != c.root || (c.data != "" && bm.Data.String() != c.data) || len(bm.Entries) != c.n {
			t.Errorf("%s: root %s data %s entries %d", c.file, bm.Root, bm.Data, len(bm.Entries))
		}
		m, err := NewManifest(bm.Data, bm.Entries, c.nv)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range c.code {
			got, ok := m.CodeByName(name)
			if !ok || got.String() != want {
				t.Errorf("%s %s: %s", c.file, name, got)
			}
		}
		for name, size := range c.sizes {
			code, _ := m.CodeByName(name)
			if w, ok := b.Wasm(code); !ok || len(w) != size {
				t.Errorf("%s %s: wasm %d bytes, want %d", c.file, name, len(w), size)
			}
		}
		// Builtin type ids (fvm-abi.md §8.1): system 1, init 2, cron 3, account 4,
		// storagepower 5, storageminer 6, storagemarket 7, paymentchannel 8,
		// multisig 9, reward 10, verifiedregistry 11, datacap 12, placeholder 13,
		// evm 14, eam 15, ethaccount 16.
		order := []string{"system", "init", "cron", "account", "storagepower", "storageminer", "storagemarket",
			"paymentchannel", "multisig", "reward", "verifiedregistry", "datacap", "placeholder", "evm", "eam", "ethaccount"}
		for i, name := range order[:c.n] {
			code, ok := m.CodeByName(name)
			if !ok || m.TypeOf(code) != int32(i+1) || m.NameOf(int32(i+1)) != name {
				t.Errorf("%s: %s type %d", c.file, name, m.TypeOf(code))
			}
			if got, _ := m.CodeFor(int32(i + 1)); got != code {
				t.Errorf("%s: CodeFor(%d)", c.file, i+1)
			}
		}
		if _, ok := m.CodeFor(int32(c.n + 1)); ok {
			t.Error("CodeFor past the end")
		}
		if _, ok := m.CodeByName("datacap"); ok != (c.n >= 12) {
			t.Errorf("%s: datacap present = %v", c.file, ok)
		}
		// v2 singletons (fvm@v2.12.1 manifest.rs); none in v3.
		for i, name := range order[:c.n] {
			want := c.nv <= network.Version17 && map[string]bool{"system": true, "init": true, "reward": true, "cron": true,
				"storagepower": true, "storagemarket": true, "verifiedregistry": true}[name]
			if m.IsSingleton(int32(i+1)) != want {
				t.Errorf("%s: IsSingleton(%s) = %v", c.file, name, !want)
			}
		}
	}
	// The whole v9 tarball: seven networks' CARs.
	all, err := LoadBundleFile(ctx, needConformance(t, "bundles/v9.tar.zst"), nil)
	if err != nil || len(all) != 7 {
		t.Fatalf("v9 tarball: %d manifests, %v", len(all), err)
	}
	// The directory walker finds the loose v10 CARs.
	dir, err := LoadBundleDir(ctx, needConformance(t, "bundles/v10"), nil)
	if err != nil || len(dir) != 7 {
		t.Fatalf("v10 dir: %d manifests, %v", len(dir), err)
	}
	dir, err = LoadBundleDir(ctx, needConformance(t, "bundles/v10"), nil, WithCarNames(MainnetCar))
	if err != nil || len(dir) != 1 || dir[0].Root.String() != "bafy2bzacecsuyf7mmvrhkx2evng5gnz5canlnz2fdlzu2lvcgptiq2pzuovos" {
		t.Fatalf("v10 dir, mainnet only: %d manifests, %v", len(dir), err)
	}
}
