package vectors_test

import (
	"archive/tar"
	"bytes"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filecoin-project/go-address"
	fbig "github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/test-vectors/schema"
	"github.com/klauspost/compress/zstd"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// TestMessageEncoding checks the 10-tuple (fvm-abi.md §8.8) against
// hand-assembled CBOR, and the decoder's refusals.
func TestMessageEncoding(t *testing.T) {
	to, _ := address.NewIDAddress(101)
	from, _ := address.NewIDAddress(100)
	m := vectors.Message{
		To: to, From: from, Nonce: 7, Value: fbig.NewInt(1000), GasLimit: 265_495,
		GasFeeCap: fbig.NewInt(0), GasPremium: fbig.NewInt(256), Method: 2, Params: []byte{0xab},
	}
	var buf bytes.Buffer
	if err := m.MarshalCBOR(&buf); err != nil {
		t.Fatal(err)
	}
	want := "8a" + // array(10)
		"00" + // version 0
		"42" + "0065" + // to: bytes(2) = 0x00 ‖ LEB128(101)
		"42" + "0064" + // from
		"07" + // nonce
		"43" + "0003e8" + // value: bytes(3) sign 0 ‖ 0x03e8
		"1a00040d17" + // gas limit 265495
		"40" + // fee cap 0 = empty bytes
		"43" + "000100" + // premium 256
		"02" + // method
		"41ab" // params
	if got := hex.EncodeToString(buf.Bytes()); got != want {
		t.Fatalf("encoding\n got %s\nwant %s", got, want)
	}
	back, err := vectors.DecodeMessage(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if back.To != to || back.From != from || back.Nonce != 7 || back.Value.Int64() != 1000 ||
		back.GasLimit != 265_495 || back.GasPremium.Int64() != 256 || back.Method != 2 || !bytes.Equal(back.Params, []byte{0xab}) {
		t.Errorf("round trip: %+v", back)
	}
	neg := m
	neg.GasLimit = -5
	buf.Reset()
	_ = neg.MarshalCBOR(&buf)
	if back, err := vectors.DecodeMessage(buf.Bytes()); err != nil || back.GasLimit != -5 {
		t.Errorf("negative gas limit: %v %v", back, err)
	}

	for _, tc := range []struct{ name, hex, want string }{
		{"not array", "00", "expected a 10-element array"},
		{"9 fields", "89", "expected a 10-element array"},
		{"trailing", want + "00", "1 trailing bytes"},
		{"truncated", want[:20], "EOF"},
		{"params not bytes", want[:len(want)-4] + "61ab", "message params"},
		{"empty", "", "EOF"},
	} {
		b, _ := hex.DecodeString(tc.hex)
		if _, err := vectors.DecodeMessage(b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestChainLength: the secp signature adds 65+4 bytes; BLS, ID and actor
// senders use the unsigned length (fvm-abi.md §7.1 step 2; conformance.md
// §1.5).
func TestChainLength(t *testing.T) {
	secp, _ := address.NewSecp256k1Address(make([]byte, 65))
	bls, _ := address.NewBLSAddress(make([]byte, 48))
	id, _ := address.NewIDAddress(5)
	actor, _ := address.NewActorAddress([]byte("x"))
	for _, tc := range []struct {
		from address.Address
		want int
	}{{secp, 169}, {bls, 100}, {id, 100}, {actor, 100}} {
		m := vectors.Message{From: tc.from}
		if got := vectors.ChainLength(&m, 100); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.from, got, tc.want)
		}
	}
}

func TestRandomness(t *testing.T) {
	d := func(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }
	r, err := vectors.NewRandomness(schema.Randomness{
		{On: schema.RandomnessRule{Kind: schema.RandomnessChain, Epoch: 10}, Return: d(1)},
		{On: schema.RandomnessRule{Kind: schema.RandomnessBeacon, Epoch: 10}, Return: d(2)},
		{On: schema.RandomnessRule{Kind: schema.RandomnessChain, Epoch: 10}, Return: d(3)}, // shadowed
	})
	if err != nil {
		t.Fatal(err)
	}
	fallback := []byte("i_am_random_____i_am_random_____")
	for _, tc := range []struct {
		name string
		got  [32]byte
		want []byte
	}{
		{"chain 10: first match wins", must(r.ChainDigest(10)), d(1)},
		{"beacon 10", must(r.BeaconDigest(10)), d(2)},
		{"chain 11: fallback", must(r.ChainDigest(11)), fallback},
		{"beacon 9: fallback", must(r.BeaconDigest(9)), fallback},
		{"nil receiver: fallback", must((*vectors.Randomness)(nil).ChainDigest(10)), fallback},
	} {
		if !bytes.Equal(tc.got[:], tc.want) {
			t.Errorf("%s: %x", tc.name, tc.got)
		}
	}
	if _, err := vectors.NewRandomness(schema.Randomness{{On: schema.RandomnessRule{Kind: "chain"}, Return: d(1)[:31]}}); err == nil {
		t.Error("31-byte digest accepted")
	}
	if _, err := vectors.NewRandomness(schema.Randomness{{On: schema.RandomnessRule{Kind: "vrf"}, Return: d(1)}}); err == nil {
		t.Error("unknown kind accepted")
	}
}

func must(v [32]byte, err error) [32]byte {
	if err != nil {
		panic(err)
	}
	return v
}

func TestExpectedFailureList(t *testing.T) {
	l := vectors.DefaultExpectedFailures()
	if len(l) != 1 {
		t.Fatalf("default list has %d entries, want 1", len(l))
	}
	real := ".conformance/vectors/0002-hygge-01/fil_10_storageminer/DisputeWindowedPoSt/Ok/ext-0002-fil_10_storageminer-DisputeWindowedPoSt-Ok-1.json"
	if _, ok := l.Match(real); !ok {
		t.Error("the DisputeWindowedPoSt/Ok vector is not matched")
	}
	for _, p := range []string{
		"0002-hygge-01/fil_10_storageminer/DisputeWindowedPoSt/16/ext-0002-fil_10_storageminer-DisputeWindowedPoSt-16-1.json",
		"x" + filepath.Base(real), // suffix must start at a path component
	} {
		if _, ok := l.Match(p); ok {
			t.Errorf("%s matched", p)
		}
	}
	l2, err := vectors.ParseExpectedFailures("# c\n\nregexp  /Dispute.*/Ok/  real PoSt\n")
	if err != nil || len(l2) != 1 {
		t.Fatal(l2, err)
	}
	if e, ok := l2.Match(real); !ok || e.Reason != "real PoSt" {
		t.Errorf("regexp entry: %v %q", ok, e.Reason)
	}
	for _, bad := range []string{"suffix only-two", "glob x reason", "regexp ( reason"} {
		if _, err := vectors.ParseExpectedFailures(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestEmptyArrayCID: the builder's empty array is the CID the fact sheet
// gives (fvm-abi.md §8.4), so the fixtures' blocks hash like real ones.
func TestEmptyArrayCID(t *testing.T) {
	if got := vectortest.New().EmptyArray().String(); got != "bafy2bzacebc3bt6cedhoyw34drrmjvazhu4oj25er2ebk4u445pzycvq4ta4a" {
		t.Errorf("empty array CID %s", got)
	}
}

func TestBundles(t *testing.T) {
	dir := t.TempDir()
	v9 := vectortest.NewBundle("v9", "system", "init", "account")
	v10 := vectortest.NewBundle("v10", "system", "init", "account", "placeholder")
	write(t, filepath.Join(dir, "a", "builtin-actors-mainnet.car"), v9.CAR())

	// A lotus-style tarball holding a CAR and a file to ignore.
	var tarBuf bytes.Buffer
	zw, _ := zstd.NewWriter(&tarBuf)
	tw := tar.NewWriter(zw)
	for name, data := range map[string][]byte{"builtin-actors-mainnet.car": v10.CAR(), "manifest.json": []byte("{}")} {
		_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		_, _ = tw.Write(data)
	}
	_ = tw.Close()
	_ = zw.Close()
	write(t, filepath.Join(dir, "b", "v10.tar.zst"), tarBuf.Bytes())
	write(t, filepath.Join(dir, "b", "notes.txt"), []byte("ignored"))

	b, err := vectors.LoadBundles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Manifests) != 2 {
		t.Fatalf("%d manifests", len(b.Manifests))
	}
	if m := b.Manifests[1]; m.Root != v10.Root || m.Data != v10.Data || len(m.Entries) != 4 ||
		m.Entries[3].Name != "placeholder" || m.Entries[3].Code != v10.Codes["placeholder"] ||
		!strings.HasSuffix(m.Source, "v10.tar.zst:builtin-actors-mainnet.car") {
		t.Errorf("v10 manifest: %+v", m)
	}
	if !b.Has(v9.Codes["init"]) || !b.Has(v10.Codes["placeholder"]) {
		t.Error("code blocks missing")
	}

	// Errors are input errors, with the file named.
	corrupt := v9.CAR()
	corrupt[len(corrupt)-1] ^= 1
	notBundle := vectortest.New()
	r := notBundle.Tuple("x")
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"corrupt.car":   {corrupt, "mismatch in content integrity"},
		"notbundle.car": {notBundle.CAR(r), "is not a manifest"},
		"tworoots.car":  {notBundle.CAR(r, r), "must have one root, has 2"},
		"garbage.car":   {[]byte("garbage"), "car header"},
		"bad.tar.zst":   {[]byte("garbage"), "bad.tar.zst"},
	} {
		p := filepath.Join(t.TempDir(), name)
		write(t, p, tc.data)
		if _, err := vectors.LoadBundles(p); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	if _, err := vectors.LoadBundles(filepath.Join(dir, "nope")); err == nil {
		t.Error("missing path accepted")
	}
	if _, err := vectors.LoadBundles(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no .car, .tar or .tar.zst bundle") {
		t.Errorf("empty dir: %v", err)
	}
}
