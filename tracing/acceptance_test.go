package tracing_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/tracing"
	"github.com/gofvm/gofvm/vectors"
)

// The acceptance criteria of issue 8, on gofvm's own vectors (the embedded
// suite, generated from the test actors) and, behind GOFVM_CONFORMANCE, on
// the public corpus:
//
//	(a) the charges in a trace sum to the receipt's gas_used before
//	    rounding (whenever no charge ran out of gas, see checkGas);
//	(b) every Call is closed, and the Subcalls tree has one node per Call;
//	(c) tracing changes no receipt, gas figure or post-state root;
//	(d) traces are identical across runs and across -j.

// traced is one vector's run with its events.
type traced struct {
	events []tracing.Event
	res    *vectors.Result
}

// recordingDriver applies through inner with a recorder per vector (by
// vector id; vectors run in parallel) and keeps the results.
type recordingDriver struct {
	inner vectors.Driver
	trace bool
	mu    sync.Mutex
	runs  map[string]*traced
}

func newRecordingDriver(t testing.TB, trace bool) *recordingDriver {
	t.Helper()
	if vectors.DefaultDriver == nil {
		t.Skip("no kernel driver linked")
	}
	inner, err := vectors.DefaultDriver(vectors.DriverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return recordingDriverOver(inner, trace)
}

// recordingDriverOver records over an existing driver (and its engine).
func recordingDriverOver(inner vectors.Driver, trace bool) *recordingDriver {
	return &recordingDriver{inner: inner, trace: trace, runs: map[string]*traced{}}
}

func (d *recordingDriver) Apply(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
	tr := &traced{}
	var rec tracing.Recorder
	if d.trace {
		run.Hooks = rec.Hooks()
	}
	res, err := d.inner.Apply(ctx, run)
	tr.events, tr.res = rec.Events, res
	d.mu.Lock()
	d.runs[run.VectorID] = tr
	d.mu.Unlock()
	return res, err
}

// runSuite runs the embedded suite with the given driver and jobs.
func runSuite(t testing.TB, d *recordingDriver, jobs int) []vectors.Outcome {
	t.Helper()
	paths := vectors.SuitePaths()
	if len(paths) == 0 {
		t.Skip("the embedded suite is empty")
	}
	b, err := vectors.SuiteBundles()
	if err != nil {
		t.Fatal(err)
	}
	cfg := vectors.Config{Driver: d, Bundles: b, Jobs: jobs, ReadFile: vectors.ReadSuiteFile,
		Reachability: vectors.ReachabilityStrict, Engine: vectors.EngineCompiler}
	return vectors.RunAll(context.Background(), cfg, paths)
}

// messageEvents returns the events between MessageStart and MessageEnd,
// both included, and the MessageEnd.
func messageEvents(t testing.TB, name string, events []tracing.Event) ([]tracing.Event, *tracing.MessageEnd) {
	t.Helper()
	if len(events) < 2 || events[0].MessageStart == nil || events[len(events)-1].MessageEnd == nil {
		t.Fatalf("%s: the trace is not bracketed by MessageStart … MessageEnd (%d events)", name, len(events))
	}
	return events, events[len(events)-1].MessageEnd
}

// checkGas is criterion (a). The tracker sees every charge before applying
// it (kernel/gas: OnCharge), so the sum of the charges is the tracker's
// used milligas exactly (MessageEnd.GasUsedMilli), and rounded up it is
// the receipt's gas_used; unless a charge ran out of gas: that charge is
// traced in full but only the part that fit counts (used is pinned to the
// limit, fvm-gas.md §1), so the sum then exceeds the used milligas. A fatal
// error bills the whole limit without a charge event (fvm-abi.md §7.3).
// nv17 may go negative (OnDeleteActor refunds) and clamps the total at 0.
// It returns which case applied: "exact", "out of gas" or "fatal".
func checkGas(t testing.TB, name string, events []tracing.Event, end *tracing.MessageEnd, gasLimit int64) string {
	t.Helper()
	var sum int64
	oog := false
	fatal := false
	for _, e := range events {
		switch {
		case e.GasCharge != nil:
			sum = satAdd(sum, e.GasCharge.TotalMilli())
		case e.CallReturn != nil && e.CallReturn.ExitCode == uint32(exitcode.SysErrOutOfGas):
			oog = true
		case e.CallError != nil && e.CallError.Message == "out of gas":
			oog = true
		case e.CallError != nil && e.CallError.Fatal:
			fatal = true
		}
	}
	if end.ExitCode == uint32(exitcode.SysErrOutOfGas) {
		oog = true
	}
	whole := roundUp(max(sum, 0))
	switch {
	case oog:
		if sum < end.GasUsedMilli || whole < end.GasUsed {
			t.Errorf("%s: out of gas: charges sum to %d milligas (%d gas) < used %d milligas, gas_used %d",
				name, sum, whole, end.GasUsedMilli, end.GasUsed)
		}
	case sum != end.GasUsedMilli:
		t.Errorf("%s: charges sum to %d milligas, the tracker used %d", name, sum, end.GasUsedMilli)
	case fatal:
		if end.GasUsed != gasLimit {
			t.Errorf("%s: fatal error: gas_used %d, want the limit %d", name, end.GasUsed, gasLimit)
		}
	case whole != end.GasUsed:
		t.Errorf("%s: charges sum to %d milligas = %d gas, receipt gas_used %d", name, sum, whole, end.GasUsed)
	}
	switch {
	case oog:
		return "out of gas"
	case fatal:
		return "fatal"
	}
	return "exact"
}

// satAdd adds as the gas tracker does (saturating: nv18 gas.charge of a
// huge amount is traced as MaxInt64 milligas).
func satAdd(a, b int64) int64 {
	c := a + b
	switch {
	case a > 0 && b > 0 && c < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && c >= 0:
		return math.MinInt64
	}
	return c
}

func roundUp(mg int64) int64 {
	w := mg / 1000
	if mg%1000 > 0 {
		w++
	}
	return w
}

// checkCalls is criterion (b): the Lotus tree builds (every Call closed by
// exactly one CallReturn/CallError, no second root), it has one node per
// Call event, and each subcall was sent by the actor its parent invoked.
// It returns the number of Call events.
func checkCalls(t testing.TB, name string, events []tracing.Event) int {
	t.Helper()
	calls, closes, depth, maxDepth := 0, 0, 0, 0
	for _, e := range events {
		switch {
		case e.Call != nil:
			calls++
			depth++
			maxDepth = max(maxDepth, depth)
		case e.CallReturn != nil || e.CallError != nil:
			closes++
			depth--
			if depth < 0 {
				t.Errorf("%s: a return without a Call", name)
				return calls
			}
		}
	}
	if calls != closes || depth != 0 {
		t.Errorf("%s: %d Calls, %d closed", name, calls, closes)
	}
	root, err := tracing.BuildLotusTrace(events)
	if err != nil {
		t.Errorf("%s: BuildLotusTrace: %v", name, err)
		return calls
	}
	// The root's exit code is the receipt's (BuildLotusTrace maps a
	// top-level CallError as the executor does, fvm-abi.md §7.3), except
	// when the call succeeded and the return-value charge then ran out of
	// gas (§7.2 step 4): the call itself still returned 0.
	end := events[len(events)-1].MessageEnd
	if got := uint32(root.MsgRct.ExitCode); end != nil && got != end.ExitCode &&
		!(got == 0 && end.ExitCode == uint32(exitcode.SysErrOutOfGas)) {
		t.Errorf("%s: the trace's root exit code %d, the receipt's %d", name, got, end.ExitCode)
	}
	nodes, depthTree := 0, 0
	var walk func(tr *tracing.ExecutionTrace, d int)
	walk = func(tr *tracing.ExecutionTrace, d int) {
		nodes++
		depthTree = max(depthTree, d)
		for i := range tr.Subcalls {
			sub := &tr.Subcalls[i]
			if tr.InvokedActor != nil && sub.Msg.From.String() != fmt.Sprintf("f0%d", tr.InvokedActor.Id) {
				t.Errorf("%s: subcall from %s under a call that invoked f0%d", name, sub.Msg.From, tr.InvokedActor.Id)
			}
			walk(sub, d+1)
		}
	}
	walk(root, 1)
	if calls == 0 {
		calls, maxDepth = 1, 1 // preflight: the root is the message itself
	}
	if nodes != calls || depthTree != maxDepth {
		t.Errorf("%s: %d Call events nesting %d deep, but the tree has %d nodes %d deep", name, calls, maxDepth, nodes, depthTree)
	}
	return calls
}

// suiteCalls is how many sends each suite vector makes, from its scenario
// (actors/testactors/scenarios.go) and the fact sheets: a preflight failure
// sends nothing; the auto-created account's constructor is no Call of its
// own (fvm-abi.md §9); call-depth recurses until the send at depth 1025
// (nv17) or 1024 (nv18) fails, and that failing send is a Call too
// (fvm-gas.md §4).
var suiteCalls = map[string]int{
	"nv17/nested-send": 2, "nv18/nested-send": 2,
	"nv17/nested-send-reverted": 2, "nv18/nested-send-reverted": 2,
	"nv17/nested-send-new-f1": 2, "nv18/nested-send-new-f1": 2,
	"nv17/nested-send-missing-f0": 2, "nv18/nested-send-missing-f0": 2,
	"nv17/autocreate-f1": 1, "nv18/autocreate-f1": 1,
	"nv17/send-value": 1, "nv18/send-value": 1,
	"nv17/tester-return": 1, "nv18/tester-return": 1,
	"nv17/call-depth": 1 + 1025, "nv18/call-depth": 1 + 1024,
	"nv17/preflight-bad-nonce": 0, "nv18/preflight-bad-nonce": 0,
	"nv17/preflight-unknown-sender": 0, "nv18/preflight-unknown-sender": 0,
}

func suiteName(p string) string {
	return strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(p), "suite/"), ".json")
}

// TestSuiteTraces checks (a), (b) and (c) on every vector of the embedded
// suite, and the exact number of sends where the scenario fixes it.
func TestSuiteTraces(t *testing.T) {
	on := newRecordingDriver(t, true)
	off := newRecordingDriver(t, false)
	outsOn := runSuite(t, on, 4)
	outsOff := runSuite(t, off, 4)
	seen := 0
	for i, o := range outsOn {
		name := suiteName(o.Path)
		if o.Status != vectors.Pass {
			t.Errorf("%s: traced run %s: %s", name, o.Status, o.Reason)
		}
		if !sameReceipt(o.Got, outsOff[i].Got) {
			t.Errorf("%s: tracing changed the result: %+v vs %+v", name, o.Got, outsOff[i].Got)
		}
		tr := on.runs[o.ID]
		if tr == nil {
			t.Errorf("%s: no traced run", name)
			continue
		}
		events, end := messageEvents(t, name, tr.events)
		if end.GasUsed != tr.res.GasUsed || int64(end.ExitCode) != tr.res.ExitCode {
			t.Errorf("%s: MessageEnd %+v disagrees with the receipt %+v", name, end, tr.res)
		}
		v := mustVector(t, o.Path)
		checkGas(t, name, events, end, v.Message.GasLimit)
		calls := checkCalls(t, name, events)
		rawCalls := countCalls(events)
		if want, ok := suiteCalls[name]; ok {
			seen++
			if rawCalls != want {
				t.Errorf("%s: %d Call events, want %d", name, rawCalls, want)
			}
		}
		_ = calls
	}
	if seen != len(suiteCalls) {
		t.Errorf("checked %d of the %d vectors with known send counts: the suite changed", seen, len(suiteCalls))
	}
}

func countCalls(events []tracing.Event) int {
	n := 0
	for _, e := range events {
		if e.Call != nil {
			n++
		}
	}
	return n
}

func sameReceipt(a, b *vectors.Receipt) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ExitCode == b.ExitCode && bytes.Equal(a.Return, b.Return) && a.GasUsed == b.GasUsed && a.PostRoot == b.PostRoot
}

func mustVector(t testing.TB, p string) *vectors.Vector {
	t.Helper()
	data, err := vectors.ReadSuiteFile(p)
	if err != nil {
		data, err = os.ReadFile(p)
	}
	if err != nil {
		t.Fatal(err)
	}
	v, err := vectors.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTracesDeterministic is (d): the event streams, as JSON lines, are
// byte-identical across two runs and across -j 1 and -j 8 (no wall-clock
// value is traced).
func TestTracesDeterministic(t *testing.T) {
	var dumps []map[string]string
	for _, jobs := range []int{1, 8, 8} {
		d := newRecordingDriver(t, true)
		runSuite(t, d, jobs)
		m := map[string]string{}
		for id, tr := range d.runs {
			var b bytes.Buffer
			if err := tracing.WriteJSONLines(&b, tr.events); err != nil {
				t.Fatal(err)
			}
			m[id] = b.String()
		}
		dumps = append(dumps, m)
	}
	for i := 1; i < len(dumps); i++ {
		if len(dumps[i]) != len(dumps[0]) {
			t.Fatalf("run %d traced %d vectors, run 0 %d", i, len(dumps[i]), len(dumps[0]))
		}
		for id, s := range dumps[0] {
			if dumps[i][id] != s {
				t.Errorf("vector %s: run %d's trace differs from run 0's", id, i)
			}
		}
	}
}
