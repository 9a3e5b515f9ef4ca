package vectors_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// scenario builds the standard test vector and writes it and its bundle to
// a temporary directory.
type scenario struct {
	*vectortest.Scenario
	dir, path, bundlePath string
	bundles               *vectors.Bundles
}

func newScenario(t *testing.T, nv uint, proto address.Protocol) *scenario {
	t.Helper()
	s, err := vectortest.NewScenario(nv, proto)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sc := &scenario{Scenario: s, dir: dir, path: filepath.Join(dir, "v.json"), bundlePath: filepath.Join(dir, "bundle.car")}
	write(t, sc.path, s.Vector.JSON())
	write(t, sc.bundlePath, s.Bundle.CAR())
	if sc.bundles, err = vectors.LoadBundles(sc.bundlePath); err != nil {
		t.Fatal(err)
	}
	return sc
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixedDriver returns a chosen result, optionally after writing a state's
// blocks into the run's blockstore (as a kernel's flush would).
func fixedDriver(res vectors.Result, write *vectortest.Builder) vectors.Driver {
	return vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
		if write != nil {
			for _, b := range write.Blocks() {
				if err := run.Blockstore.Put(ctx, b); err != nil {
					return nil, err
				}
			}
		}
		r := res
		return &r, nil
	})
}

func (s *scenario) passing() vectors.Result {
	return vectors.Result{ExitCode: 0, GasUsed: 220_196, PostRoot: s.Post}
}

func (s *scenario) run(t *testing.T, d vectors.Driver, exp vectors.ExpectedFailures) vectors.Outcome {
	t.Helper()
	return vectors.RunOne(context.Background(), vectors.Config{Driver: d, Bundles: s.bundles, Expected: exp}, s.path)
}

func TestRunPassAndRunFields(t *testing.T) {
	for _, tc := range []struct {
		nv    uint
		proto address.Protocol
		extra int // ChainLength - len(bytes): 65+4 for secp (conformance.md §1.5)
	}{
		{17, address.ID, 0}, {17, address.SECP256K1, 69}, {18, address.BLS, 0}, {18, address.SECP256K1, 69},
	} {
		t.Run(fmt.Sprintf("nv%d-%d", tc.nv, tc.proto), func(t *testing.T) {
			s := newScenario(t, tc.nv, tc.proto)
			var got *vectors.Run
			d := vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
				got = run
				// The pre-state and the bundle's code must both be readable.
				if _, err := run.Blockstore.Get(ctx, run.PreRoot); err != nil {
					return nil, err
				}
				if _, err := run.Blockstore.Get(ctx, s.Bundle.Codes["account"]); err != nil {
					return nil, err
				}
				r := s.passing()
				return &r, nil
			})
			o := vectors.RunOne(context.Background(), vectors.Config{
				Driver: d, Bundles: s.bundles, Reachability: vectors.ReachabilityCompat, Engine: vectors.EngineInterpreter,
			}, s.path)
			if o.Status != vectors.Pass {
				t.Fatalf("status %s: %s\n%s", o.Status, o.Reason, o.Detail)
			}
			if o.ID != s.Vector.ID {
				t.Errorf("id %q, want %q", o.ID, s.Vector.ID)
			}
			circ, _ := new(big.Int).SetString("464086652283863744667971485", 10)
			checks := []struct {
				name      string
				got, want any
			}{
				{"VectorID", got.VectorID, s.Vector.ID},
				{"PreRoot", got.PreRoot, s.Pre},
				{"Epoch", got.Epoch, s.Vector.Epoch},
				{"NetworkVersion", got.NetworkVersion, tc.nv},
				{"BaseFee", got.BaseFee.String(), "100"},
				{"CircSupply", got.CircSupply.String(), circ.String()},
				{"Timestamp", got.Timestamp, uint64(s.Vector.Epoch) * 30},
				{"ChainID", got.ChainID, uint64(314)},
				{"MessageBytes", got.MessageBytes, s.MsgBytes},
				{"From", got.Message.From, s.Sender},
				{"ChainLength", got.ChainLength, len(s.MsgBytes) + tc.extra},
				{"Reachability", got.Reachability, vectors.ReachabilityCompat},
				{"Engine", got.Engine, vectors.EngineInterpreter},
			}
			for _, c := range checks {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
			}
		})
	}
}

// TestRunDefaults checks the reference runner's defaults when a vector
// leaves basefee and circ_supply out (ref-fvm release/v3
// testing/conformance/src/vm.rs: 100 attoFIL, TOTAL_FILECOIN).
func TestRunDefaults(t *testing.T) {
	s := newScenario(t, 18, address.ID)
	s.Vector.BaseFee, s.Vector.CircSupply = nil, nil
	write(t, s.path, s.Vector.JSON())
	var got *vectors.Run
	d := vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
		got = run
		r := s.passing()
		return &r, nil
	})
	if o := s.run(t, d, nil); o.Status != vectors.Pass {
		t.Fatal(o.Reason)
	}
	if got.BaseFee.String() != "100" || got.CircSupply.String() != "2000000000000000000000000000" {
		t.Errorf("defaults: base fee %s, circ supply %s", got.BaseFee, got.CircSupply)
	}
}

func TestRunMismatches(t *testing.T) {
	s := newScenario(t, 18, address.BLS)
	// A wrong post-state: the sender's nonce not bumped and the receiver
	// not paid.
	wrong := append([]vectortest.Actor(nil), s.PostActors...)
	wrong[3].Nonce--
	wrong[4].Balance -= 12_345
	wrongRoot, wrongBlocks, err := s.StateWith(wrong)
	if err != nil {
		t.Fatal(err)
	}
	base := s.passing()
	for _, tc := range []struct {
		name   string
		mutate func(r *vectors.Result)
		write  *vectortest.Builder
		reason string
		detail []string
	}{
		{"exit code", func(r *vectors.Result) { r.ExitCode = 7 }, nil,
			"exit code 7, want 0", []string{"exit_code: want 0, got 7"}},
		{"return", func(r *vectors.Result) { r.Return = []byte{0x82, 0x01, 0x02} }, nil,
			"return value differs", []string{"want <empty>", "got  0x820102 = [1,2]"}},
		{"gas", func(r *vectors.Result) { r.GasUsed = 220_190 }, nil,
			"gas used 220190, want 220196", []string{"gas_used: want 220196, got 220190 (-6)"}},
		{"machine error shown", func(r *vectors.Result) { r.GasUsed = 1; r.Err = errors.New("boom") }, nil,
			"gas used 1, want 220196", []string{"machine error: boom"}},
		{"root", func(r *vectors.Result) { r.PostRoot = wrongRoot }, wrongBlocks,
			"post-state root differs", []string{
				"post-state root: want " + s.Post.String() + ", got " + wrongRoot.String(),
				"sender " + s.Sender.String() + " (f0100):\n  nonce: want 8, got 7",
				"receiver f0101:\n  balance: want 12350, got 5 (-12345)",
				"actors HAMT entries that differ: 2",
				"f0100: want [", "f0101: want [",
			}},
		{"root not written", func(r *vectors.Result) { r.PostRoot = wrongRoot }, nil,
			"post-state root differs", []string{"cannot read the produced state root", "not in the store"}},
		{"no root", func(r *vectors.Result) { r.PostRoot = cid.Undef }, nil,
			"post-state root differs", []string{"the driver returned none"}},
		{"all four", func(r *vectors.Result) { r.ExitCode, r.Return, r.GasUsed, r.PostRoot = 16, []byte{1}, 5, wrongRoot }, wrongBlocks,
			"exit code 16, want 0; return value differs; gas used 5, want 220196; post-state root differs", []string{"receipt:\n  exit_code"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			tc.mutate(&r)
			o := s.run(t, fixedDriver(r, tc.write), nil)
			if o.Status != vectors.Fail {
				t.Fatalf("status %s, want fail", o.Status)
			}
			if o.Got == nil || o.Got.PostRoot != map[bool]string{true: r.PostRoot.String(), false: ""}[r.PostRoot.Defined()] {
				t.Errorf("Got.PostRoot %+v", o.Got)
			}
			if o.Reason != tc.reason {
				t.Errorf("reason %q, want %q", o.Reason, tc.reason)
			}
			for _, d := range tc.detail {
				if !strings.Contains(o.Detail, d) {
					t.Errorf("detail lacks %q:\n%s", d, o.Detail)
				}
			}
		})
	}
}

// TestStateDiffTolerance: the expected post-state's CAR is partial (as all
// real ones are); the diff must still explain what it can, and must not
// report actors it cannot see as removed.
func TestStateDiffTolerance(t *testing.T) {
	s := newScenario(t, 17, address.ID)
	wrong := append([]vectortest.Actor(nil), s.PostActors...)
	wrong[2].Balance++ // burnt funds, a system actor (id < 100)
	wrongRoot, wrongBlocks, err := s.StateWith(wrong)
	if err != nil {
		t.Fatal(err)
	}
	r := s.passing()
	r.PostRoot = wrongRoot
	o := s.run(t, fixedDriver(r, wrongBlocks), nil)
	for _, want := range []string{"builtin f099:\n  balance: want 22020600, got 22020601 (+1)", "actors HAMT entries that differ: 1"} {
		if !strings.Contains(o.Detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, o.Detail)
		}
	}
	if strings.Contains(o.Detail, "only in") {
		t.Errorf("spurious add/remove:\n%s", o.Detail)
	}
}

func TestExpectedFailures(t *testing.T) {
	s := newScenario(t, 18, address.ID)
	list, err := vectors.ParseExpectedFailures("suffix v.json needs a real PoSt verifier\n")
	if err != nil {
		t.Fatal(err)
	}
	bad := s.passing()
	bad.GasUsed++
	o := s.run(t, fixedDriver(bad, nil), list)
	if o.Status != vectors.Skip || o.Reason != "expected failure: needs a real PoSt verifier" {
		t.Errorf("failing expected failure: %s %q", o.Status, o.Reason)
	}
	if !strings.Contains(o.Detail, "gas used") {
		t.Errorf("skip detail should keep the real reason: %q", o.Detail)
	}
	o = s.run(t, fixedDriver(s.passing(), nil), list)
	if o.Status != vectors.Fail || !strings.HasPrefix(o.Reason, "unexpected pass: remove it from the list") {
		t.Errorf("passing expected failure: %s %q", o.Status, o.Reason)
	}
	// Loading errors are never excused.
	write(t, s.path, []byte("{"))
	if o := s.run(t, fixedDriver(bad, nil), list); o.Status != vectors.Fail {
		t.Errorf("bad JSON on the list: %s %q", o.Status, o.Reason)
	}
}

func TestNoDriver(t *testing.T) {
	s := newScenario(t, 18, address.ID)
	o := s.run(t, nil, nil)
	if o.Status != vectors.Fail || !strings.Contains(o.Reason, "no kernel driver linked") {
		t.Errorf("%s %q", o.Status, o.Reason)
	}
}

func TestDriverErrorAndPanic(t *testing.T) {
	s := newScenario(t, 17, address.ID)
	o := s.run(t, vectors.DriverFunc(func(context.Context, *vectors.Run) (*vectors.Result, error) {
		return nil, errors.New("machine refused")
	}), nil)
	if o.Status != vectors.Fail || o.Reason != "driver: machine refused" {
		t.Errorf("%s %q", o.Status, o.Reason)
	}
	o = s.run(t, vectors.DriverFunc(func(context.Context, *vectors.Run) (*vectors.Result, error) {
		var m map[string]int
		m["x"] = 1 // a real panic
		return nil, nil
	}), nil)
	if o.Status != vectors.Fail || !strings.HasPrefix(o.Reason, "panic: assignment to entry in nil map") {
		t.Errorf("%s %q", o.Status, o.Reason)
	}
	if !strings.Contains(o.Detail, "runner_test.go") {
		t.Errorf("panic detail lacks the stack:\n%s", o.Detail)
	}
	o = s.run(t, vectors.DriverFunc(func(context.Context, *vectors.Run) (*vectors.Result, error) { return nil, nil }), nil)
	if o.Status != vectors.Fail || !strings.Contains(o.Reason, "no result") {
		t.Errorf("%s %q", o.Status, o.Reason)
	}
}

func TestMissingCode(t *testing.T) {
	s := newScenario(t, 18, address.ID)
	other := vectortest.NewBundle("other", "system", "init", "account")
	p := filepath.Join(s.dir, "other.car")
	write(t, p, other.CAR())
	b, err := vectors.LoadBundles(p)
	if err != nil {
		t.Fatal(err)
	}
	o := vectors.RunOne(context.Background(), vectors.Config{Driver: fixedDriver(s.passing(), nil), Bundles: b}, s.path)
	if o.Status != vectors.Fail || !strings.Contains(o.Reason, "is in no loaded bundle; pass --bundles with the builtin-actors mainnet bundle for nv18") {
		t.Errorf("%s %q", o.Status, o.Reason)
	}
	o = vectors.RunOne(context.Background(), vectors.Config{Driver: fixedDriver(s.passing(), nil)}, s.path)
	if o.Status != vectors.Fail || !strings.Contains(o.Reason, "no bundle was given") {
		t.Errorf("%s %q", o.Status, o.Reason)
	}
}

// TestBadInputs: each broken input is a clear per-vector failure, never a
// panic.
func TestBadInputs(t *testing.T) {
	s := newScenario(t, 18, address.ID)
	good := s.Vector.JSON()
	corruptCAR := func() []byte {
		car := bytes.Clone(s.Vector.CAR)
		car[len(car)-1] ^= 0xff // the last block's last byte
		v := s.Vector
		v.CAR = car
		return v.JSON()
	}
	replaceCAR := func(field string) []byte {
		i := bytes.Index(good, []byte(`"car": "`))
		j := bytes.IndexByte(good[i+8:], '"')
		return append(append(append([]byte{}, good[:i+8]...), field...), good[i+8+j:]...)
	}
	noPre := func() []byte {
		v := s.Vector
		b := vectortest.New()
		b.Tuple("unrelated")
		v.CAR = b.CAR(s.Pre)
		return v.JSON()
	}
	for _, tc := range []struct {
		name string
		data []byte // nil: file missing
		want string
	}{
		{"missing file", nil, "read: no such file or directory"}, // the path is the outcome's, not repeated
		{"array", []byte("[]"), "json: cannot unmarshal array"},  // encoding/json's own "json: " is not doubled
		{"bad json", []byte(`{"class": "message",`), "json: unexpected EOF"},
		{"not json", []byte("hello"), "json: invalid character 'h'"},
		{"trailing json", append(bytes.Clone(good), "{}"...), "json: trailing data"},
		{"bad base64", replaceCAR("!!!notbase64"), "json: illegal base64 data"},
		{"bad gzip", replaceCAR("aGVsbG8gd29ybGQ="), "car: CAR: gzip: invalid header"},
		{"corrupted block", corruptCAR(), "does not hash-verify"},
		{"pre-root not in CAR", noPre(), "car: pre-state root " + s.Pre.String() + " is not in the CAR"},
		{"tipset class", bytes.Replace(good, []byte(`"class": "message"`), []byte(`"class": "tipset"`), 1), `schema: class "tipset"`},
		{"bad message", bytes.Replace(good, []byte(`"bytes": "`), []byte(`"bytes": "AAAA`), 1), "message: decoding message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "v.json")
			if tc.data != nil {
				write(t, p, tc.data)
			}
			o := vectors.RunOne(context.Background(), vectors.Config{Driver: fixedDriver(s.passing(), nil), Bundles: s.bundles}, p)
			if o.Status != vectors.Fail || !strings.Contains(o.Reason, tc.want) {
				t.Errorf("%s %q, want it to contain %q", o.Status, o.Reason, tc.want)
			}
			if stage, rest, _ := strings.Cut(o.Reason, ": "); strings.HasPrefix(rest, stage+":") || strings.Contains(o.Reason, p) {
				t.Errorf("%q: a doubled prefix or the path repeated", o.Reason)
			}
		})
	}
}

// TestJobsDeterminism: the outcomes, and the order OnOutcome sees them in,
// are the same for -j 1 and -j 4.
func TestJobsDeterminism(t *testing.T) {
	s := newScenario(t, 18, address.BLS)
	dir := t.TempDir()
	var paths []string
	for i := 0; i < 12; i++ {
		p := filepath.Join(dir, fmt.Sprintf("d%d", i%3), fmt.Sprintf("v%02d.json", i))
		data := s.Vector.JSON()
		if i%4 == 1 {
			data = []byte("{broken")
		}
		write(t, p, data)
		paths = append(paths, p)
	}
	write(t, filepath.Join(dir, "README.md"), []byte("not a vector"))
	found := vectors.CollectPaths([]string{dir})
	if len(found) != 12 {
		t.Fatalf("collected %d paths, want 12: %v", len(found), found)
	}
	// Every third vector (by name) gets a wrong gas figure.
	d := vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
		r := s.passing()
		r.GasUsed += int64(len(run.MessageBytes) % 2) // 0: all pass, but keep it data-driven
		return &r, nil
	})
	runWith := func(jobs int) ([]vectors.Outcome, []string) {
		var mu sync.Mutex
		var order []string
		outs := vectors.RunAll(context.Background(), vectors.Config{
			Driver: d, Bundles: s.bundles, Jobs: jobs,
			OnOutcome: func(done, total int, o *vectors.Outcome) {
				mu.Lock()
				order = append(order, o.Path)
				mu.Unlock()
			},
		}, found)
		return outs, order
	}
	o1, ord1 := runWith(1)
	o4, ord4 := runWith(4)
	for _, o := range [][]vectors.Outcome{o1, o4} {
		for i := range o {
			if o[i].Timing == nil {
				t.Errorf("%s: no timing", o[i].Path)
			}
			o[i].Timing = nil // the one field that may differ
		}
	}
	if !reflect.DeepEqual(o1, o4) {
		t.Error("outcomes differ between -j 1 and -j 4")
	}
	if !reflect.DeepEqual(ord1, found) || !reflect.DeepEqual(ord4, found) {
		t.Errorf("OnOutcome order is not path order:\n%v\n%v", ord1, ord4)
	}
	p, f, sk := vectors.Counts(o4)
	if p+f+sk != 12 || f != 3 {
		t.Errorf("counts %d/%d/%d, want 3 failures (the broken files)", p, f, sk)
	}
}

// An empty return encodes the same from a vector (zero bytes) and from a
// driver (nil), so --json reports of a passing vector show equal sides.
func TestReceiptJSONEmptyReturn(t *testing.T) {
	for _, r := range [][]byte{nil, {}} {
		b, err := json.Marshal(vectors.Receipt{Return: r, PostRoot: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"exit_code":0,"return":"","gas_used":0,"post_root":"x"}`; string(b) != want {
			t.Errorf("%#v: %s, want %s", r, b, want)
		}
	}
}
