package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/tracing"
	"github.com/gofvm/gofvm/vectors"
)

func needKernel(t *testing.T) {
	t.Helper()
	if vectors.DefaultDriver == nil {
		t.Skip("no kernel driver linked")
	}
	if len(vectors.SuitePaths()) == 0 {
		t.Skip("the embedded suite is empty")
	}
}

// nested-send (actors/testactors/scenarios.go): Alice → Tester1 method 5,
// which sends to Tester2's method 2 (returns "abc"). The Lotus trace is the
// message with one subcall from f0103, addressed to Tester2's f2 address
// as given (fvm-abi.md §9) and invoking actor 104; both exit 0.
func TestTraceLotus(t *testing.T) {
	needKernel(t)
	flame := filepath.Join(t.TempDir(), "flame.svg")
	code, stdout, stderr := runCLI("trace", "--cache", "", "--flame", flame, "suite/nv17/nested-send.json")
	if code != 0 || !strings.Contains(stderr, "PASS suite/nv17/nested-send.json") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var tr tracing.ExecutionTrace
	if err := json.Unmarshal([]byte(stdout), &tr); err != nil {
		t.Fatalf("stdout is not an ExecutionTrace: %v\n%s", err, stdout)
	}
	if tr.Msg.From.String() != "f0100" || tr.Msg.To.String() != "f0103" || tr.Msg.Method != 5 || tr.MsgRct.ExitCode != 0 {
		t.Errorf("root %+v %+v", tr.Msg, tr.MsgRct)
	}
	if len(tr.Subcalls) != 1 {
		t.Fatalf("%d subcalls, want 1", len(tr.Subcalls))
	}
	sub := tr.Subcalls[0]
	if sub.Msg.From.String() != "f0103" || sub.Msg.To.Protocol() != 2 || sub.InvokedActor == nil ||
		sub.InvokedActor.Id != 104 || sub.Msg.Method != 2 ||
		string(sub.MsgRct.Return) != "cabc" || len(sub.GasCharges) == 0 || len(sub.Subcalls) != 0 {
		t.Errorf("subcall %+v %+v, %d charges", sub.Msg, sub.MsgRct, len(sub.GasCharges))
	}
	if len(tr.GasCharges) == 0 || tr.GasCharges[0].Name != "OnChainMessage" {
		t.Errorf("the root's first charge should be the inclusion charge: %+v", tr.GasCharges)
	}
	svg, err := os.ReadFile(flame)
	if err != nil || !strings.Contains(string(svg), "<svg") || !strings.Contains(string(svg), `data-l="tester m2 `) {
		t.Errorf("flame graph: %v\n%.200s", err, svg)
	}
	if strings.Contains(stdout, "</svg>") {
		t.Error("the flame graph leaked onto stdout")
	}
}

// --format events: one JSON object per line, MessageStart first and
// MessageEnd last, two Calls each closed.
func TestTraceEvents(t *testing.T) {
	needKernel(t)
	code, stdout, stderr := runCLI("trace", "--cache", "", "--format", "events", "--engine", "interpreter",
		"suite/nv18/nested-send.json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var types []string
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct{ Type string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		types = append(types, line.Type)
	}
	count := func(k string) int {
		n := 0
		for _, t := range types {
			if t == k {
				n++
			}
		}
		return n
	}
	if len(types) < 4 || types[0] != "MessageStart" || types[len(types)-1] != "MessageEnd" ||
		count("Call") != 2 || count("CallReturn") != 2 {
		t.Errorf("event types %v", types)
	}
}

// A receipt mismatch still prints the trace, says FAIL on stderr and exits 1.
func TestTraceMismatch(t *testing.T) {
	needKernel(t)
	data, err := vectors.ReadSuiteFile("suite/nv17/nested-send.json")
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	rc := v["postconditions"].(map[string]any)["receipts"].([]any)[0].(map[string]any)
	rc["gas_used"] = rc["gas_used"].(float64) + 1
	bad, _ := json.Marshal(v)
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.json")
	writeFile(t, p, bad)
	bundle := filepath.Join(dir, "testactors-nv17.car")
	tb, err := testactors.NewBundle(network.Version17)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, bundle, tb.CAR())
	code, stdout, stderr := runCLI("trace", "--cache", "", "--bundles", bundle, p)
	if code != 1 || !strings.Contains(stderr, "FAIL "+p) || !strings.Contains(stderr, "gas_used") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stdout, "{") {
		t.Errorf("no trace on stdout: %.100q", stdout)
	}
}
