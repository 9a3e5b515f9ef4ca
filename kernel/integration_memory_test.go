package kernel_test

import (
	"bytes"
	"testing"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/tracing"
)

// nv18 memory limits through the full kernel (fvm-gas.md §4, fvm-abi.md
// §11, §5.1 step 3): 512 MiB = 8192 pages per instance, 2 GiB = 32,768
// pages across the live call stack, a refused memory.grow answers −1 after
// its gas (26,214.4 gas per page, v3) was charged, a refused instantiation
// is exit 4 (SYS_ILLEGAL_INSTRUCTION) for that call, and each frame's memory
// is given back when it exits. The tester declares 1 page. Expected values
// come from those rules, never from a run.
func TestIntegrationMemoryLimits(t *testing.T) {
	for _, k := range engineKinds {
		t.Run(string(k), func(t *testing.T) { testMemoryLimits(t, k) })
	}
}

func testMemoryLimits(t *testing.T, k engineKind) {
	const gasLimit = 3_000_000_000
	var log []tracing.GasCharge
	w := newWorld(t, network.Version18, k, kernel.WithHooks(&tracing.Hooks{
		OnGasCharge: func(c tracing.GasCharge) { log = append(log, c) },
	}))
	t1 := idAddr(testactors.Tester1ID)
	run := func(name string, method uint64, p testactors.Params, want []byte) int64 {
		t.Helper()
		log = log[:0]
		ret := w.apply(w.msg(w.g.Alice, t1, abiM(method), 0, p.Encode(), gasLimit))
		if ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, want) {
			t.Errorf("%s: exit %d return %x, want 0 and %x; %s", name, ret.Receipt.ExitCode, ret.Receipt.Return, want, ret.FailureInfo)
		}
		return ret.Receipt.GasUsed
	}

	// 1 + 8191 = 8192 pages is exactly 512 MiB: allowed; grow answers the old size 1.
	run("grow to 512 MiB", testactors.MethodGrow, testactors.Params{A: 8191}, testactors.Result(1, 0))

	// Refused grows (1 + 8192 and 1 + 8197 pages > 8192) answer −1 and still
	// pay the linear part: the two messages run the same instructions, so
	// their gas differs by 5 pages × 26,214.4 = 131,072 gas exactly.
	g8192 := run("grow 8192", testactors.MethodGrow, testactors.Params{A: 8192}, testactors.Result(0xffffffff, 0))
	g8197 := run("grow 8197", testactors.MethodGrow, testactors.Params{A: 8197}, testactors.Result(0xffffffff, 0))
	if d := g8197 - g8192; d != 131_072 {
		t.Errorf("refused grows: gas difference %d, want 5 × 26,214.4 = 131,072", d)
	}

	// Five children in a row, each growing to 8192 pages (512 MiB) while the
	// parent holds 1 page: every child's memory is given back when it exits,
	// so all five succeed. Were it kept, the 4th child would need
	// 1 + 3·8192 + 8192 = 32,769 pages > 32,768 and its grow would fail.
	run("five 512 MiB children in a row", testactors.MethodGrowSeq, testactors.Params{A: 8191, B: 5}, testactors.Result(5, 0))

	if testing.Short() {
		t.Skip("the call-stack cases hold 2 GiB of linear memory; skipped with -short")
	}
	// Frames growing by 8191 pages hold 8192 pages (512 MiB) each: four fill
	// the 2 GiB exactly (the limit refuses only past it), so the 5th frame's
	// instantiation (1 page) is refused → exit 4 to the 4th frame's send:
	// result(4 frames, exit 4).
	run("instantiation refused at 2 GiB", testactors.MethodGrowRecurse, testactors.Params{A: 8191}, testactors.Result(4, 4))
	// wasm_memory_init (1 page: 26,214.4 gas) is charged before each
	// instantiation (fvm-abi.md §5.1 step 3), the refused 5th one included.
	if got := named(log, "wasm_memory_init"); !equalInts(got, []int64{26_214_400, 26_214_400, 26_214_400, 26_214_400, 26_214_400}) {
		t.Errorf("wasm_memory_init charges %v, want five of 26,214,400 mg", got)
	}
	// Frames of 1 + 8000 pages: four hold 32,004 pages; the 5th instantiates
	// (32,005 ≤ 32,768) but its grow to 40,005 pages is refused:
	// result(5 frames, −1).
	run("grow refused at 2 GiB", testactors.MethodGrowRecurse, testactors.Params{A: 8000}, testactors.Result(5, 0xffffffff))
	// The budget is per message and restored frame by frame: the same stack
	// again hits the same limit at the same depth.
	run("instantiation refused again", testactors.MethodGrowRecurse, testactors.Params{A: 8191}, testactors.Result(4, 4))
	w.followUp()
}

// nv17 has no FVM memory limit (fvm-gas.md §4: wasm32's 4 GiB only) and
// memory.grow has no page cost (fvm-abi.md §11): growing to 8193 pages
// (512 MiB + 64 KiB) succeeds, and costs exactly as much as growing by one
// page, since the two messages run the same instructions.
func TestIntegrationMemoryNV17(t *testing.T) {
	w := newWorld(t, network.Version17, compilerEngine)
	t1 := idAddr(testactors.Tester1ID)
	gasOf := func(pages uint32) int64 {
		ret := w.apply(w.msg(w.g.Alice, t1, testactors.MethodGrow, 0, testactors.Params{A: pages}.Encode(), 1_000_000_000))
		if ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, testactors.Result(1, 0)) {
			t.Fatalf("grow %d: exit %d return %x, want Result(1, 0)", pages, ret.Receipt.ExitCode, ret.Receipt.Return)
		}
		return ret.Receipt.GasUsed
	}
	if a, b := gasOf(1), gasOf(8192); a != b {
		t.Errorf("nv17 grow 1 page: %d gas, 8192 pages: %d gas; want equal", a, b)
	}
}
