package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filecoin-project/go-address"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// fixture writes the standard scenario vector and its bundle.
type fixture struct {
	s      *vectortest.Scenario
	dir    string
	bundle string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s, err := vectortest.NewScenario(18, address.SECP256K1)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{s: s, dir: t.TempDir()}
	f.bundle = filepath.Join(f.dir, "bundles", "mainnet.car")
	writeFile(t, f.bundle, s.Bundle.CAR())
	return f
}

// vector writes the scenario's vector JSON at rel (under dir/vectors).
func (f *fixture) vector(t *testing.T, rel string) string {
	p := filepath.Join(f.dir, "vectors", rel)
	writeFile(t, p, f.s.Vector.JSON())
	return p
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// withDriver links a fake kernel for the test's duration. The fake answers
// with the vector's expected receipt, adjusted by gasDelta for vectors whose
// path contains "bad".
func withDriver(t *testing.T, f *fixture, gasDelta int64) *vectors.DriverOptions {
	t.Helper()
	var seen vectors.DriverOptions
	old := vectors.DefaultDriver
	t.Cleanup(func() { vectors.DefaultDriver = old })
	vectors.DefaultDriver = func(o vectors.DriverOptions) (vectors.Driver, error) {
		seen = o
		return vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
			gas := f.s.Vector.Receipt.GasUsed
			if run.Epoch%2 == 1 { // the "bad" vectors get an odd epoch
				gas += gasDelta
			}
			return &vectors.Result{ExitCode: 0, GasUsed: gas, PostRoot: f.s.Post}, nil
		}), nil
	}
	return &seen
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(&env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &o, stderr: &e}, args)
	return code, o.String(), e.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestUsageErrors(t *testing.T) {
	f := newFixture(t)
	v := f.vector(t, "a.json")
	corrupt := f.s.Bundle.CAR()
	corrupt[len(corrupt)-1] ^= 1
	badBundle := filepath.Join(f.dir, "corrupt.car")
	writeFile(t, badBundle, corrupt)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"no command", nil, 2, "usage:"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown flag", []string{"run", "--nope", v}, 2, "flag provided but not defined: -nope"},
		{"-j 0", []string{"run", "-j", "0", v}, 2, "-j 0: want at least 1"},
		{"-j text", []string{"run", "-j", "many", v}, 2, "invalid value"},
		{"bad regexp", []string{"run", "-run", "(", v}, 2, "-run: error parsing regexp"},
		{"bad reachability", []string{"run", "--reachability", "lax", v}, 2, `reachability "lax": want strict or compat`},
		{"bad engine", []string{"run", "--engine", "jit", v}, 2, `engine "jit": want compiler or interpreter`},
		{"missing bundles", []string{"run", "--bundles", filepath.Join(f.dir, "nope"), v}, 2, "nope: no such file or directory"},
		{"corrupt bundle", []string{"run", "--bundles", badBundle, v}, 2, "mismatch in content integrity"},
		{"nothing matched", []string{"run", "-run", "zzz", v}, 2, "no vector to run"},
		{"empty dir", []string{"run", t.TempDir()}, 2, "no vector to run"},
		{"actors without bundles", []string{"actors"}, 2, "--bundles is required"},
		{"actors missing bundle", []string{"actors", "--bundles", filepath.Join(f.dir, "nope")}, 2, "bundles:"},
		{"actors corrupt bundle", []string{"actors", "--bundles", badBundle}, 2, "mismatch in content integrity"},
		{"actors bad engine", []string{"actors", "--bundles", f.bundle, "--engine", "jit"}, 2, `engine "jit"`},
		{"actors extra arg", []string{"actors", "--bundles", f.bundle, "x"}, 2, `unexpected argument "x"`},
		{"trace two vectors", []string{"trace", v, v}, 2, "want exactly one VECTOR"},
		{"trace no vector", []string{"trace"}, 2, "want exactly one VECTOR"},
		{"trace bad format", []string{"trace", "--format", "xml", v}, 2, `--format "xml": want lotus or events`},
		{"trace bad engine", []string{"trace", "--engine", "jit", v}, 2, `engine "jit"`},
		{"trace missing vector", []string{"trace", filepath.Join(f.dir, "nope.json")}, 2, "no such file"},
		{"trace missing bundles", []string{"trace", "--bundles", filepath.Join(f.dir, "nope"), v}, 2, "nope: no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
	for _, args := range [][]string{{"help"}, {"run", "-h"}, {"trace", "-h"}, {"actors", "-h"}} {
		if code, _, _ := runCLI(args...); code != 0 {
			t.Errorf("%v: exit %d, want 0", args, code)
		}
	}
}

func TestDemo(t *testing.T) {
	if len(vectors.SuitePaths()) != 0 {
		t.Skip("the embedded suite is not empty: fvmcheck runs it instead of the demo")
	}
	code, stdout, _ := runCLI("run")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	for _, want := range []string{
		"demonstration", "4. ran it with a stand-in driver that replays the expected receipt: pass",
		"gas_used: want 220196, got 220190 (-6)", "receiver f0101:\n      balance: want 12350, got 5 (-12345)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestNoKernel(t *testing.T) {
	f := newFixture(t)
	old := vectors.DefaultDriver
	vectors.DefaultDriver = nil
	t.Cleanup(func() { vectors.DefaultDriver = old })
	v := f.vector(t, "a.json")
	code, stdout, _ := runCLI("run", "--bundles", f.bundle, v)
	if code != 1 || !strings.Contains(stdout, "FAIL "+v+": no kernel driver linked") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if got := lastLine(stdout); got != "0 passed, 1 failed, 0 skipped" {
		t.Errorf("last line %q", got)
	}
}

func TestRunOutcomes(t *testing.T) {
	f := newFixture(t)
	opts := withDriver(t, f, -6)
	good := f.vector(t, "good/a.json")
	code, stdout, stderr := runCLI("run", "--bundles", f.bundle, "--cache", filepath.Join(f.dir, "cache"), good)
	if code != 0 || lastLine(stdout) != "1 passed, 0 failed, 0 skipped" {
		t.Fatalf("pass: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if opts.CacheDir != filepath.Join(f.dir, "cache") {
		t.Errorf("driver got cache dir %q", opts.CacheDir)
	}
	if !strings.Contains(stderr, "proofs are not verified") {
		t.Errorf("the trusting verifier is not announced:\n%s", stderr)
	}

	// A mismatch and a broken file: both reported, in path order, and the
	// run goes on. (A missing path is a usage error: testdata/cli.)
	f.s.Vector.Epoch++ // odd epoch: the fake driver is 6 gas short
	bad := f.vector(t, "bad/b.json")
	broken := filepath.Join(f.dir, "vectors", "broken", "c.json")
	writeFile(t, broken, []byte("{not json"))
	code, stdout, _ = runCLI("run", "--bundles", f.bundle, filepath.Join(f.dir, "vectors"))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"FAIL " + bad + ": gas used 220190, want 220196\n    receipt:\n      gas_used: want 220196, got 220190 (-6)\n",
		"FAIL " + broken + ": json: invalid character 'n'",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Index(stdout, bad) > strings.Index(stdout, broken) {
		t.Error("output is not in path order")
	}
	if got := lastLine(stdout); got != "1 passed, 2 failed, 0 skipped" {
		t.Errorf("last line %q", got)
	}
}

// TestExpectedFailureCLI uses the repository's list: its one entry matches
// by path suffix, so a copy of our vector at that path is "expected to fail".
func TestExpectedFailureCLI(t *testing.T) {
	f := newFixture(t)
	withDriver(t, f, 1)
	rel := "0002-hygge-01/fil_10_storageminer/DisputeWindowedPoSt/Ok/ext-0002-fil_10_storageminer-DisputeWindowedPoSt-Ok-1.json"
	f.s.Vector.Epoch++ // the fake driver is off by one gas: it fails
	p := f.vector(t, rel)
	code, stdout, _ := runCLI("run", "--bundles", f.bundle, p)
	if code != 0 || !strings.Contains(stdout, "SKIP "+p+": expected failure: needs a real PoSt verifier") || lastLine(stdout) != "0 passed, 0 failed, 1 skipped" {
		t.Errorf("failing expected failure: exit %d\n%s", code, stdout)
	}
	f.s.Vector.Epoch-- // now it passes, which must fail the run
	p = f.vector(t, rel)
	code, stdout, _ = runCLI("run", "--bundles", f.bundle, p)
	if code != 1 || !strings.Contains(stdout, "FAIL "+p+": unexpected pass: remove it from the list") || lastLine(stdout) != "0 passed, 1 failed, 0 skipped" {
		t.Errorf("passing expected failure: exit %d\n%s", code, stdout)
	}
}

// TestJobsIdenticalOutput: -j 1 and -j 4 print the same thing, but for the
// timing line.
func TestJobsIdenticalOutput(t *testing.T) {
	f := newFixture(t)
	withDriver(t, f, 3)
	for i := 0; i < 10; i++ {
		f.s.Vector.Epoch += int64(i % 2) // alternate good and bad
		f.vector(t, filepath.Join("d", string(rune('a'+i))+".json"))
	}
	strip := func(s string) string {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.Contains(l, "peak memory") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	dir := filepath.Join(f.dir, "vectors")
	c1, o1, _ := runCLI("run", "-v", "-j", "1", "--bundles", f.bundle, dir)
	c4, o4, _ := runCLI("run", "-v", "-j", "4", "--bundles", f.bundle, dir)
	if c1 != c4 || strip(o1) != strip(o4) {
		t.Errorf("-j 1 (exit %d):\n%s\n-j 4 (exit %d):\n%s", c1, o1, c4, o4)
	}
	if !strings.Contains(o1, "PASS ") || !strings.Contains(o1, "FAIL ") {
		t.Errorf("want both passes and failures:\n%s", o1)
	}
}

func TestJSONOutput(t *testing.T) {
	f := newFixture(t)
	withDriver(t, f, 0)
	a := f.vector(t, "a.json")
	b := filepath.Join(f.dir, "vectors", "b.json")
	writeFile(t, b, []byte("[]"))
	code, stdout, stderr := runCLI("run", "--json", "--bundles", f.bundle, filepath.Join(f.dir, "vectors"))
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d JSON lines:\n%s", len(lines), stdout)
	}
	var outs []vectors.Outcome
	for _, l := range lines {
		var o vectors.Outcome
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("not JSON: %q: %v", l, err)
		}
		outs = append(outs, o)
	}
	if outs[0].Path != a || outs[0].Status != vectors.Pass || outs[0].Got == nil || outs[0].Got.GasUsed != 220_196 {
		t.Errorf("first: %+v", outs[0])
	}
	if outs[1].Path != b || outs[1].Status != vectors.Fail || !strings.HasPrefix(outs[1].Reason, "json:") {
		t.Errorf("second: %+v", outs[1])
	}
	if lastLine(stderr) != "1 passed, 1 failed, 0 skipped" {
		t.Errorf("summary on stderr: %q", stderr)
	}
}
