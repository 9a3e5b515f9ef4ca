package tracing

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/google/pprof/profile"
)

// aggregateTrace is shaped like the public corpus's nv17
// ProveCommitAggregate: a miner method that makes 155 calls in all, fifty
// to the verified registry's method 9 (each of which calls the datacap
// actor's method 19) interleaved with fifty to the market's method 6, and
// four single calls. Gas by hand:
//
//	miner m26 own:          OnChainMessage 200 + wasm_exec 100   =    300
//	verifiedregistry m9 ×50: (wasm_exec 1,000 + OnBlockLink 500
//	                         + datacap m19: wasm_exec 200) × 50  = 85,000
//	storagemarket m6 ×50:   wasm_exec 1,200 × 50                 = 60,000
//	storagepower m6, m9:    wasm_exec 60, 40                     =    100
//	account m0, f099 m0:    OnValueTransfer 0 (zero-gas frames)  =      0
//	total                                                        = 145,400
//
// so verifiedregistry m9 holds 85,000/145,400 = 58.46% and storagemarket m6
// 60,000/145,400 = 41.27%. One market call fails (exit 16).
func aggregateTrace(t testing.TB) (*ExecutionTrace, func(*ExecutionTrace) string) {
	t.Helper()
	codeNames := map[uint64]string{1000: "storageminer", 6: "verifiedregistry", 5: "storagemarket",
		4: "storagepower", 7: "datacap", 100: "account"}
	call := func(to uint64, method uint64, charges []*GasTrace, subs ...ExecutionTrace) ExecutionTrace {
		return ExecutionTrace{Msg: MessageTrace{To: mustID(t, to), Method: abi.MethodNum(method)},
			GasCharges: charges, Subcalls: subs}
	}
	g := func(name string, gas int64) *GasTrace { return &GasTrace{Name: name, TotalGas: gas} }
	root := call(1000, 26, []*GasTrace{g("OnChainMessage", 200), g("wasm_exec", 100)})
	for i := 0; i < 50; i++ {
		datacap := call(7, 19, []*GasTrace{g("wasm_exec", 200)})
		root.Subcalls = append(root.Subcalls,
			call(6, 9, []*GasTrace{g("wasm_exec", 1000), g("OnBlockLink", 500)}, datacap),
			call(5, 6, []*GasTrace{g("wasm_exec", 1200)}))
	}
	root.Subcalls[3].MsgRct.ExitCode = exitcode.ExitCode(16)
	root.Subcalls = append(root.Subcalls,
		call(4, 6, []*GasTrace{g("wasm_exec", 60)}),
		call(4, 9, []*GasTrace{g("wasm_exec", 40)}),
		call(100, 0, []*GasTrace{g("OnValueTransfer", 0)}),
		call(99, 0, []*GasTrace{g("OnValueTransfer", 0)}))
	names := func(t *ExecutionTrace) string {
		id, _ := address.IDFromAddress(t.Msg.To)
		return codeNames[id]
	}
	return &root, names
}

func TestGasProfileMerges(t *testing.T) {
	tr, names := aggregateTrace(t)
	p := NewGasProfile(tr, names)
	if p.Calls != 155 || p.Total != 145_400 || p.Root.Name != "storageminer m26" || p.Root.Self != 300 {
		t.Fatalf("calls %d, total %d, root %q self %d", p.Calls, p.Total, p.Root.Name, p.Root.Self)
	}
	var got []string
	for _, c := range p.Root.Children {
		got = append(got, c.Name+" "+strconv.Itoa(c.Calls)+" "+strconv.FormatInt(c.Gas, 10))
	}
	// Largest first; the zero-gas account frame last.
	want := []string{"verifiedregistry m9 50 85000", "storagemarket m6 50 60000", "OnChainMessage 1 200",
		"wasm_exec 1 100", "storagepower m6 1 60", "storagepower m9 1 40", "account m0 1 0", "f099 m0 1 0"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("root's children:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	vr := p.Root.Children[0]
	if vr.Self != 75_000 || len(vr.Children) != 3 || vr.Children[2].Name != "datacap m19" ||
		vr.Children[2].Calls != 50 || vr.Children[2].Gas != 10_000 || len(vr.Receivers) != 1 || vr.Receivers[0] != "f06" {
		t.Errorf("verifiedregistry frame: %+v", vr)
	}
	if m := p.Root.Children[1]; m.Failed != 1 {
		t.Errorf("market failures %d, want 1", m.Failed)
	}
	rows := p.CallTable()
	if rows[0].Name != "storageminer m26" || rows[1].Name != "verifiedregistry m9" || rows[2].Name != "storagemarket m6" ||
		rows[3].Name != "datacap m19" || rows[3].Gas != 10_000 {
		t.Errorf("call table %+v", rows)
	}
	ch := p.ChargeTable()
	// wasm_exec: 100 + 50·1,000 + 50·200 + 50·1,200 + 60 + 40 = 120,200.
	if ch[0].Name != "wasm_exec" || ch[0].Gas != 120_200 || ch[0].Calls != 153 || ch[1].Name != "OnBlockLink" || ch[1].Gas != 25_000 {
		t.Errorf("charge table %+v", ch)
	}
}

// A frame nested in a frame of the same name is counted once in the
// table's inclusive gas (as pprof's cum does).
func TestCallTableRecursion(t *testing.T) {
	inner := ExecutionTrace{Msg: MessageTrace{To: mustID(t, 200), Method: 2}, GasCharges: []*GasTrace{{Name: "wasm_exec", TotalGas: 10}}}
	outer := ExecutionTrace{Msg: MessageTrace{To: mustID(t, 200), Method: 2}, GasCharges: []*GasTrace{{Name: "wasm_exec", TotalGas: 5}},
		Subcalls: []ExecutionTrace{inner}}
	p := NewGasProfile(&outer, nil)
	rows := p.CallTable()
	if len(rows) != 1 || rows[0].Name != "f0200 m2" || rows[0].Gas != 15 || rows[0].Self != 15 || rows[0].Calls != 2 {
		t.Errorf("%+v", rows)
	}
}

// flameFrame is one <g class="frame"> of the SVG.
type flameFrame struct {
	label, text, class string
	depth              int
	width              float64
}

func parseFlame(t *testing.T, svg []byte) []flameFrame {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	var frames []flameFrame
	var cur *flameFrame
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			attr := func(k string) string {
				for _, a := range e.Attr {
					if a.Name.Local == k {
						return a.Value
					}
				}
				return ""
			}
			switch {
			case e.Name.Local == "g" && strings.HasPrefix(attr("class"), "frame "):
				frames = append(frames, flameFrame{label: attr("data-l"), class: attr("class")})
				cur = &frames[len(frames)-1]
				cur.depth, _ = strconv.Atoi(attr("data-d"))
			case cur != nil && e.Name.Local == "rect":
				cur.width, _ = strconv.ParseFloat(attr("width"), 64)
			case cur != nil && e.Name.Local == "text":
				inText = true
			}
		case xml.CharData:
			if inText {
				cur.text += string(e)
			}
		case xml.EndElement:
			if e.Name.Local == "text" {
				inText = false
			}
			if e.Name.Local == "g" {
				cur = nil
			}
		}
	}
	return frames
}

// At 155 calls the two dominant (actor, method) pairs are single frames
// whose labels are drawn whole, with the call count and the share worked
// out by hand above; widths are proportional to gas (1,180 pixels for
// 145,400 gas); the picture is self-contained.
func TestFlameGraphLabelsAt155Calls(t *testing.T) {
	tr, names := aggregateTrace(t)
	var buf bytes.Buffer
	if err := WriteFlameGraph(&buf, tr, FlameOptions{Title: "a <test> & more", ActorNames: names}); err != nil {
		t.Fatal(err)
	}
	svg := buf.Bytes()
	frames := parseFlame(t, svg)
	find := func(label string) *flameFrame {
		for i := range frames {
			if frames[i].label == label {
				return &frames[i]
			}
		}
		t.Fatalf("no frame labelled %q", label)
		return nil
	}
	const scale = 1180.0 / 145_400
	for _, c := range []struct {
		label string
		gas   float64
		depth int
		text  string // as drawn: whole when the frame is wide enough
	}{
		{"storageminer m26 100.0%", 145_400, 0, "storageminer m26 100.0%"},
		{"verifiedregistry m9 ×50 58.5%", 85_000, 1, "verifiedregistry m9 ×50 58.5%"},
		{"storagemarket m6 ×50 41.3%", 60_000, 1, "storagemarket m6 ×50 41.3%"},
		{"wasm_exec ×50 34.4%", 50_000, 2, "wasm_exec ×50 34.4%"}, // the registry's own wasm_exec
		// 81 pixels hold (81 − 6)/7.3 = 10 characters: 8 and "..".
		{"datacap m19 ×50 6.9%", 10_000, 2, "datacap .."},
	} {
		f := find(c.label)
		if f.text != c.text || f.depth != c.depth || math.Abs(f.width-c.gas*scale) > 0.01 {
			t.Errorf("%q: drawn %q at depth %d, width %.2f; want %q, depth %d, width %.2f", c.label, f.text, f.depth, f.width, c.text, c.depth, c.gas*scale)
		}
	}
	// Frames with gas: the message; below it the two merged calls, its two
	// charges and the two power calls (the account's zero-gas call draws
	// nothing); below those the registry's two charges and datacap, and one
	// wasm_exec under each of market and the power calls; datacap's
	// wasm_exec: 1 + 6 + 6 + 1.
	if len(frames) != 14 {
		t.Errorf("%d frames", len(frames))
	}
	s := string(svg)
	for _, want := range []string{"a &lt;test&gt; &amp; more", ">verifiedregistry m9<", ">58.5%<", ">storagemarket m6<", ">41.3%<", "145,400 gas in 155 calls"} {
		if !strings.Contains(s, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	// Self-contained: the only URL is the SVG namespace; no links, no
	// external script or style, no fonts fetched.
	if strings.Count(s, "http") != 1 || strings.Contains(s, "href") || strings.Contains(s, "@import") || strings.Contains(s, "url(") {
		t.Error("the SVG refers to something outside itself")
	}
}

// Folded stacks of a hand-made trace, exactly: charge frames only, largest
// first under each frame, names joined by ";".
func TestWriteFolded(t *testing.T) {
	tr, err := BuildLotusTrace(sampleEvents(t))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := NewGasProfile(tr, nil).WriteFolded(&buf); err != nil {
		t.Fatal(err)
	}
	// sampleEvents: OnChainMessage 38,864.5 → 38,865 gas; OnMethodInvocation
	// 23,856; f0400's wasm_exec 0.999 → 1; OnChainReturnValue 0; the call to
	// f0300 charged nothing and has no line.
	want := "f0200 m2;OnChainMessage 38865\n" +
		"f0200 m2;OnMethodInvocation 23856\n" +
		"f0200 m2;f0400 m3;wasm_exec 1\n" +
		"f0200 m2;OnChainReturnValue 0\n"
	if buf.String() != want {
		t.Errorf("folded:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// The pprof profile parses with the pprof library, has one sample type
// (gas), a sample per charge frame whose values sum to the total, and
// stacks from the charge (leaf, first) up to the message.
func TestWritePprof(t *testing.T) {
	tr, names := aggregateTrace(t)
	p := NewGasProfile(tr, names)
	var buf bytes.Buffer
	if err := p.WritePprof(&buf, "a comment"); err != nil {
		t.Fatal(err)
	}
	prof, err := profile.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(prof.SampleType) != 1 || prof.SampleType[0].Type != "gas" || prof.SampleType[0].Unit != "gas" ||
		len(prof.Comments) != 1 || prof.Comments[0] != "a comment" {
		t.Fatalf("sample types %v, comments %q", prof.SampleType, prof.Comments)
	}
	var sum int64
	stacks := map[string]int64{}
	for _, s := range prof.Sample {
		sum += s.Value[0]
		var names []string
		for _, l := range s.Location {
			names = append(names, l.Line[0].Function.Name)
		}
		stacks[strings.Join(names, " < ")] += s.Value[0]
	}
	if sum != 145_400 {
		t.Errorf("samples sum to %d, want 145,400", sum)
	}
	for stack, gas := range map[string]int64{
		"wasm_exec < datacap m19 < verifiedregistry m9 < storageminer m26": 10_000,
		"OnBlockLink < verifiedregistry m9 < storageminer m26":             25_000,
		"wasm_exec < storagemarket m6 < storageminer m26":                  60_000,
		"OnChainMessage < storageminer m26":                                200,
	} {
		if stacks[stack] != gas {
			t.Errorf("%s: %d gas, want %d", stack, stacks[stack], gas)
		}
	}
}

// BenchmarkGasProfile merges the 155-call trace and draws it.
func BenchmarkGasProfile(b *testing.B) {
	tr, names := aggregateTrace(b)
	b.ReportAllocs()
	for b.Loop() {
		p := NewGasProfile(tr, names)
		if err := p.WriteFlameGraph(io.Discard, FlameOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
