package instrument

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureDir is the reference instrumenter's own diff-test data, read in
// place and never copied (see its README.md).
const fixtureDir = "../../../../shared/fixtures/instrument"

func fixtures(t *testing.T, sub string) []string {
	t.Helper()
	dir := filepath.Join(fixtureDir, sub)
	ins, err := filepath.Glob(filepath.Join(dir, "*.input.wasm"))
	if err != nil || len(ins) == 0 {
		t.Skipf("fixtures %s absent", dir)
	}
	return ins
}

// describe renders everything the instrumenters change, in a form that does
// not depend on encoder choices (LEB widths, local grouping, section order).
func describe(t *testing.T, wasm []byte, v Version) string {
	t.Helper()
	m, bodies, err := decodeAll(wasm, v)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	var sb strings.Builder
	for _, im := range m.Imports {
		fmt.Fprintf(&sb, "import %q.%q kind=%d type=%v global=%v\n", im.Module, im.Name, im.Kind, typeStr(m, im.TypeIdx, im.Kind), im.Global)
	}
	for i, g := range m.Globals {
		fmt.Fprintf(&sb, "global %d %v init=%x\n", i, g.GlobalType, g.Init)
	}
	for _, e := range m.Exports {
		fmt.Fprintf(&sb, "export %q kind=%d index=%d\n", e.Name, e.Kind, e.Index)
	}
	for _, e := range m.Elems {
		fmt.Fprintf(&sb, "elem flags=%d offset=%x funcs=%v\n", e.Flags, e.Offset, e.Funcs)
	}
	if m.HasStart {
		fmt.Fprintf(&sb, "start %d\n", m.Start)
	}
	for i, b := range bodies {
		fmt.Fprintf(&sb, "func %d type=%s locals=", i, typeStr(m, m.Funcs[i], KindFunc))
		for _, g := range b.Locals {
			for k := uint32(0); k < g.Count; k++ {
				fmt.Fprintf(&sb, "%x,", byte(g.Type))
			}
		}
		sb.WriteString("\n")
		for _, in := range b.Instrs {
			sb.WriteString("  " + instrString(b, in) + "\n")
		}
	}
	return sb.String()
}

func typeStr(m *Module, idx uint32, kind byte) string {
	if kind != KindFunc || int(idx) >= len(m.Types) {
		return "-"
	}
	return fmt.Sprintf("%v->%v", m.Types[idx].Params, m.Types[idx].Results)
}

func instrString(b *Body, in Instr) string {
	switch in.Op.info().imm {
	case immNone, immZeroByte, immMemIndex, immZeroZero:
		return in.Op.String()
	case immBrTable:
		return fmt.Sprintf("%s %v %d", in.Op, b.BrTables[in.X], in.Y)
	case immI32, immI64:
		return fmt.Sprintf("%s %d", in.Op, int64(in.Y))
	case immF32, immF64:
		return fmt.Sprintf("%s 0x%x", in.Op, in.Y)
	case immMemarg:
		return fmt.Sprintf("%s align=%d offset=%d", in.Op, in.X, in.Y)
	}
	return fmt.Sprintf("%s %d", in.Op, in.X)
}

func runGolden(t *testing.T, sub string, opts Options) {
	for _, in := range fixtures(t, sub) {
		name := strings.TrimSuffix(filepath.Base(in), ".input.wasm")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.Replace(in, ".input.wasm", ".expected.wasm", 1))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Instrument(src, opts)
			if err != nil {
				t.Fatalf("instrument: %v", err)
			}
			g, w := describe(t, got, opts.Version), describe(t, want, opts.Version)
			if g != w {
				t.Errorf("mismatch\n--- got\n%s\n--- want\n%s", g, w)
			}
		})
	}
}

func TestGoldenV020StackHeight(t *testing.T) {
	runGolden(t, "v0.2.0/stack-height", Options{Version: FVM2, StackLimit: 1024, NoGasMetering: true})
}

func TestGoldenV040StackHeight(t *testing.T) {
	runGolden(t, "v0.4.0/stack-height", Options{Version: FVM3, StackLimit: 1024, NoGasMetering: true})
}

func TestGoldenV040Gas(t *testing.T) {
	runGolden(t, "v0.4.0/gas", Options{Version: FVM3, NoStackLimiter: true, Gas: GasImport,
		GasModule: "env", Prices: FlatPrices{Cost: 1}})
}

// TestGoldenVersionsDiffer is the negative control: the many_locals fixture
// of one version must not match the other version's limiter (cost 5 vs 4).
func TestGoldenVersionsDiffer(t *testing.T) {
	for _, c := range []struct {
		sub string
		v   Version
	}{{"v0.2.0/stack-height", FVM3}, {"v0.4.0/stack-height", FVM2}} {
		ins := fixtures(t, c.sub)
		for _, in := range ins {
			if !strings.HasSuffix(in, "many_locals.input.wasm") {
				continue
			}
			src, _ := os.ReadFile(in)
			want, _ := os.ReadFile(strings.Replace(in, ".input.wasm", ".expected.wasm", 1))
			got, err := Instrument(src, Options{Version: c.v, StackLimit: 1024, NoGasMetering: true})
			if err != nil {
				t.Fatal(err)
			}
			if describe(t, got, c.v) == describe(t, want, c.v) {
				t.Errorf("%s instrumented as %v matches the other version's expectation", c.sub, c.v)
			}
		}
	}
}
