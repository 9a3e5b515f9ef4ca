package tracing_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/tracing"
	"github.com/gofvm/gofvm/vectors"
)

// The public corpus's nv17 ProveCommitAggregate (155 calls) is the case the
// gas profile is made for: the storage miner's method 26 sends fifty times
// to the verified registry's method 9 and fifty times to the market's
// method 6, and those two pairs hold most of the gas. The shares are worked
// out here from the Lotus trace itself (summing tg over each subcall's
// subtree), not by the profile code, and the flame graph's labels, its
// call table and `go tool pprof -top` on the pprof output must show them.
const proveCommitAggregate = "0001-shark-01/fil_9_storageminer/ProveCommitAggregate/Ok/ext-0001-fil_9_storageminer-ProveCommitAggregate-Ok-1.json"

func TestCorpusProveCommitAggregateProfile(t *testing.T) {
	cfg, _ := corpusConfig(t)
	path := filepath.Join(os.Getenv("GOFVM_CONFORMANCE"), "vectors", proveCommitAggregate)
	d := newRecordingDriver(t, true)
	cfg.Driver = d
	o := vectors.RunOne(context.Background(), cfg, path)
	if o.Status != vectors.Pass {
		t.Fatalf("%s: %s %s", path, o.Status, o.Reason)
	}
	tr, err := tracing.BuildLotusTrace(d.runs[o.ID].events)
	if err != nil {
		t.Fatal(err)
	}

	// By hand from the trace: gas and calls of each (receiver, method)
	// directly under the message.
	var subtree func(t *tracing.ExecutionTrace) (gas int64, calls int)
	subtree = func(t *tracing.ExecutionTrace) (int64, int) {
		var g int64
		n := 1
		for _, c := range t.GasCharges {
			g += c.TotalGas
		}
		for i := range t.Subcalls {
			sg, sn := subtree(&t.Subcalls[i])
			g, n = g+sg, n+sn
		}
		return g, n
	}
	total, calls := subtree(tr)
	perPair := map[string]int64{}
	count := map[string]int{}
	for i := range tr.Subcalls {
		s := &tr.Subcalls[i]
		k := fmt.Sprintf("%s m%d", s.Msg.To, s.Msg.Method)
		g, _ := subtree(s)
		perPair[k] += g
		count[k]++
	}
	vr, market := perPair["f06 m9"], perPair["f05 m6"]
	vrShare, marketShare := 100*float64(vr)/float64(total), 100*float64(market)/float64(total)
	t.Logf("%d calls, %d gas; f06 m9 ×%d %.2f%%, f05 m6 ×%d %.2f%%", calls, total, count["f06 m9"], vrShare, count["f05 m6"], marketShare)
	if calls != 155 || count["f06 m9"] != 50 || count["f05 m6"] != 50 || vrShare < 45 || vrShare > 47 || marketShare < 38 || marketShare > 40 {
		t.Fatalf("the vector is not the one described: %d calls, shares %.1f%% and %.1f%%", calls, vrShare, marketShare)
	}

	names := map[cid.Cid]string{}
	for _, m := range cfg.Bundles.Manifests {
		for _, e := range m.Entries {
			names[e.Code] = e.Name
		}
	}
	actorName := func(t *tracing.ExecutionTrace) string {
		if t.InvokedActor == nil {
			return ""
		}
		return names[t.InvokedActor.State.Code]
	}
	p := tracing.NewGasProfile(tr, actorName)
	dir := t.TempDir()
	svgPath := filepath.Join(dir, "prove-commit-aggregate.svg")
	var svg bytes.Buffer
	if err := p.WriteFlameGraph(&svg, tracing.FlameOptions{Title: o.ID}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(svgPath, svg.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	vrLabel := fmt.Sprintf("verifiedregistry m9 ×50 %.1f%%", vrShare)
	marketLabel := fmt.Sprintf("storagemarket m6 ×50 %.1f%%", marketShare)
	for _, label := range []string{vrLabel, marketLabel} {
		// Drawn whole as the frame's text, not cut.
		if !strings.Contains(svg.String(), ">"+label+"</text>") {
			t.Errorf("the flame graph has no frame drawn as %q", label)
		}
	}
	rows := p.CallTable()
	if rows[1].Name != "verifiedregistry m9" || rows[1].Gas != vr || rows[1].Calls != 50 ||
		rows[2].Name != "storagemarket m6" || rows[2].Gas != market || rows[2].Calls != 50 {
		t.Errorf("call table: %+v", rows[:3])
	}

	// go tool pprof -top lists both pairs with their cumulative share.
	pb := filepath.Join(dir, "gas.pb.gz")
	var prof bytes.Buffer
	if err := p.WritePprof(&prof); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pb, prof.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if goBin, err := exec.LookPath("go"); err == nil {
		out, err := exec.Command(goBin, "tool", "pprof", "-top", pb).CombinedOutput()
		if err != nil {
			t.Fatalf("go tool pprof: %v\n%s", err, out)
		}
		for _, want := range []string{fmt.Sprintf("%.2f%%  verifiedregistry m9", vrShare), fmt.Sprintf("%.2f%%  storagemarket m6", marketShare)} {
			if !strings.Contains(string(out), want) {
				t.Errorf("go tool pprof -top lacks %q:\n%s", want, out)
			}
		}
	}

	// In Chromium (where installed): the two frames are drawn in their
	// actors' colours; GOFVM_FLAME_PNG_DIR keeps the screenshot.
	if os.Getenv("GOFVM_FLAME_PNG_DIR") == "" && testing.Short() {
		return
	}
	bin := tracing.Chromium(t)
	img := tracing.ScreenshotSVG(t, bin, svgPath, "")
	for _, c := range []struct{ label, actor string }{{vrLabel, "verifiedregistry"}, {marketLabel, "storagemarket"}} {
		x, y, _ := tracing.FrameRect(t, svg.String(), c.label)
		if !tracing.PixelIs(img, int(x)+2, int(y)+14, tracing.CallColour(c.actor)) {
			t.Errorf("%s: not drawn in %s at (%d,%d)", c.label, tracing.CallColour(c.actor), int(x)+2, int(y)+14)
		}
	}
}
