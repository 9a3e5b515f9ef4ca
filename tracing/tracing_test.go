package tracing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/ipfs/go-cid"
)

func mustID(t testing.TB, id uint64) address.Address {
	t.Helper()
	a, err := address.NewIDAddress(id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A message from f0100 to a multisig f0200 that sends on to f0300 (fails with
// NotFound) and to f0400 (returns data).
func sampleEvents(t *testing.T) []Event {
	r := &Recorder{}
	h := r.Hooks()
	h.OnMessageStart(MessageStart{Kind: Explicit, From: mustID(t, 100), To: mustID(t, 200), Value: big.Zero()})
	h.OnGasCharge(GasCharge{Name: "OnChainMessage", ComputeMilli: 38_863_000, OtherMilli: 1_500})
	h.OnCall(Call{From: 100, To: mustID(t, 200), Method: 2, Value: big.Zero(), GasLimit: ^uint64(0)})
	h.OnInvokeActor(InvokeActor{ID: 200})
	h.OnGasCharge(GasCharge{Name: "OnMethodInvocation", ComputeMilli: 23_856_000})
	h.OnCall(Call{From: 200, To: mustID(t, 300), Method: 0, Value: big.NewInt(5)})
	h.OnCallError(CallError{Number: 6, Message: "actor not found"})
	h.OnCall(Call{From: 200, To: mustID(t, 400), Method: 3, Value: big.Zero()})
	h.OnGasCharge(GasCharge{Name: "wasm_exec", ComputeMilli: 999})
	h.OnIpld(Ipld{Op: IpldLink, Size: 12})
	h.OnCallReturn(CallReturn{ExitCode: 0, Return: []byte{0x80}, ReturnCodec: 0x71})
	h.OnCallReturn(CallReturn{ExitCode: 16})
	h.OnGasCharge(GasCharge{Name: "OnChainReturnValue"})
	h.OnMessageEnd(MessageEnd{ExitCode: 16, GasUsed: 62_721})
	return r.Events
}

func TestBuildLotusTrace(t *testing.T) {
	tr, err := BuildLotusTrace(sampleEvents(t))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Msg.From != mustID(t, 100) || tr.Msg.To != mustID(t, 200) || tr.Msg.Method != 2 {
		t.Fatalf("root msg %+v", tr.Msg)
	}
	if tr.MsgRct.ExitCode != 16 || tr.InvokedActor == nil || tr.InvokedActor.Id != 200 {
		t.Fatalf("root rct %+v actor %+v", tr.MsgRct, tr.InvokedActor)
	}
	// inclusion charge first, then the callee's own, then the return value charge.
	var names []string
	for _, g := range tr.GasCharges {
		names = append(names, g.Name)
	}
	if got := strings.Join(names, ","); got != "OnChainMessage,OnMethodInvocation,OnChainReturnValue" {
		t.Fatalf("charges %s", got)
	}
	// 38,863,000 + 1,500 mg = 38,864.5 gas → rounds up to 38,865; parts 38,863 and 2.
	g := tr.GasCharges[0]
	if g.TotalGas != 38_865 || g.ComputeGas != 38_863 || g.StorageGas != 2 || g.TimeTaken != 0 {
		t.Fatalf("gas trace %+v", g)
	}
	if len(tr.Subcalls) != 2 {
		t.Fatalf("subcalls %d", len(tr.Subcalls))
	}
	if tr.Subcalls[0].MsgRct.ExitCode != 5 { // NotFound → SYS_INVALID_RECEIVER
		t.Fatalf("call error exit %d", tr.Subcalls[0].MsgRct.ExitCode)
	}
	s := tr.Subcalls[1]
	if s.MsgRct.ReturnCodec != 0x71 || !bytes.Equal(s.MsgRct.Return, []byte{0x80}) || s.GasCharges[0].TotalGas != 1 {
		t.Fatalf("second subcall %+v", s)
	}
	if len(s.IpldOps) != 1 || s.IpldOps[0].Op != "Put" {
		t.Fatalf("ipld ops %+v", s.IpldOps)
	}
	js, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"From":"f0100"`, `"tg":38865`, `"ExitCode":16`, `"Subcalls":[`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("JSON lacks %s: %s", want, js)
		}
	}
}

func TestBuildLotusTraceErrors(t *testing.T) {
	ev := sampleEvents(t)
	if _, err := BuildLotusTrace(ev[:1]); err == nil {
		t.Error("no call must fail")
	}
	if _, err := BuildLotusTrace(ev[:5]); err == nil {
		t.Error("unclosed call must fail")
	}
	fatal := []Event{{Call: &Call{To: mustID(t, 1), Value: big.Zero()}}, {CallError: &CallError{Fatal: true}}}
	tr, err := BuildLotusTrace(fatal)
	if err != nil || tr.MsgRct.ExitCode != 10 {
		t.Fatalf("fatal → 10, got %v %v", tr, err)
	}
}

func TestJSONLines(t *testing.T) {
	var buf bytes.Buffer
	ev := sampleEvents(t)
	if err := WriteJSONLines(&buf, ev); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(ev) {
		t.Fatalf("%d lines for %d events", len(lines), len(ev))
	}
	var first struct{ Type string }
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.Type != "MessageStart" {
		t.Fatalf("%s %v", lines[0], err)
	}
	if err := WriteJSONLines(&buf, []Event{{}}); err == nil {
		t.Fatal("empty event must fail")
	}
}

func TestMerge(t *testing.T) {
	var a, b int
	h := Merge(&Hooks{OnLog: func(Log) { a++ }}, &Hooks{OnLog: func(Log) { b++ }, OnIpld: func(Ipld) { b += 10 }})
	h.OnLog(Log{})
	h.OnIpld(Ipld{})
	if a != 1 || b != 11 || h.OnCall != nil {
		t.Fatalf("a=%d b=%d", a, b)
	}
	if Merge(nil, h) != h || Merge(h, nil) != h {
		t.Fatal("nil merge")
	}
}

func TestFlameGraphIsValidSVG(t *testing.T) {
	tr, err := BuildLotusTrace(sampleEvents(t))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteFlameGraph(&buf, tr, FlameOptions{}); err != nil {
		t.Fatal(err)
	}
	// The message f0200 m2, its charges OnChainMessage and
	// OnMethodInvocation, f0400 m3 and its wasm_exec; the NotFound call to
	// f0300 and OnChainReturnValue have no gas, so no frame.
	var labels []string
	for _, f := range parseFlame(t, buf.Bytes()) {
		labels = append(labels, f.label)
	}
	want := "f0200 m2 100.0%|OnChainMessage 62.0%|OnMethodInvocation 38.0%|f0400 m3 0.0%|wasm_exec 0.0%"
	if strings.Join(labels, "|") != want {
		t.Errorf("frames %q, want %q", labels, want)
	}
}

func TestGroupDigits(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567"} {
		if got := groupDigits(in); got != want {
			t.Errorf("%d: %s", in, got)
		}
	}
}

// BenchmarkNilHooks measures what the kernel pays per charge when no tracer
// is set: a nil check on the struct pointer.
func BenchmarkNilHooks(b *testing.B) {
	var h *Hooks
	b.ReportAllocs()
	n := 0
	for i := 0; i < b.N; i++ {
		if h != nil && h.OnGasCharge != nil {
			h.OnGasCharge(GasCharge{Name: "wasm_exec", ComputeMilli: int64(i)})
		}
		n++
	}
	_ = n
}

func BenchmarkRecorderGasCharge(b *testing.B) {
	r := &Recorder{}
	h := r.Hooks()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if len(r.Events) > 4096 {
			r.Reset()
		}
		h.OnGasCharge(GasCharge{Name: "wasm_exec", ComputeMilli: int64(i)})
	}
}

// The JSON of a trace is Lotus's (chain.md §4.3, chain/types.ExecutionTrace
// and ActorV5): field names and order, and empty values as Lotus shows
// them after decoding the CBOR from ffi: a nil byte string or list is
// null, an actor without an f4 address has "DelegatedAddress": null,
// InvokedActor, Logs and IpldOps are left out when empty. Written by hand.
func TestLotusJSONShape(t *testing.T) {
	empty, err := cid.Decode("bafy2bzacebc3bt6cedhoyw34drrmjvazhu4oj25er2ebk4u445pzycvq4ta4a")
	if err != nil {
		t.Fatal(err)
	}
	r := &Recorder{}
	h := r.Hooks()
	h.OnMessageStart(MessageStart{From: mustID(t, 100), To: mustID(t, 200), Value: big.Zero()})
	h.OnGasCharge(GasCharge{Name: "OnChainMessage", ComputeMilli: 1000})
	h.OnCall(Call{From: 100, To: mustID(t, 200), Method: 2, Value: big.Zero(), GasLimit: 10, Params: []byte{}})
	h.OnInvokeActor(InvokeActor{ID: 200, State: ActorState{Code: empty, Head: empty, Nonce: 1, Balance: big.NewInt(5)}})
	h.OnCallReturn(CallReturn{Return: []byte{}})
	h.OnMessageEnd(MessageEnd{})
	tr, err := BuildLotusTrace(r.Events)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	e := `{"/":"bafy2bzacebc3bt6cedhoyw34drrmjvazhu4oj25er2ebk4u445pzycvq4ta4a"}`
	want := `{"Msg":{"From":"f0100","To":"f0200","Value":"0","Method":2,"Params":null,"ParamsCodec":0,"GasLimit":10,"ReadOnly":false},` +
		`"MsgRct":{"ExitCode":0,"Return":null,"ReturnCodec":0},` +
		`"InvokedActor":{"Id":200,"State":{"Code":` + e + `,"Head":` + e + `,"Nonce":1,"Balance":"5","DelegatedAddress":null}},` +
		`"GasCharges":[{"Name":"OnChainMessage","tg":1,"cg":1,"sg":0,"tt":0}],"Subcalls":null}`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
