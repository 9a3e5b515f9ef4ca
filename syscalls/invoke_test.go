package syscalls

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/tetratelabs/wazero"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

var syscallGas = gas.NewGas(onSyscallGas)

// TestAbortExit: vm.abort (nv17) and vm.exit (nv18) end the invocation with
// the codes of fvm-abi.md §3.2/§5.2, after paying OnSyscall and re-syncing.
func TestAbortExit(t *testing.T) {
	long := bytes.Repeat([]byte{'x'}, 1500)
	cases := []struct {
		name    string
		nv      network.Version
		fn      string
		msg     []byte
		args    []uint64
		code    exitcode.ExitCode
		blk     uint32
		wantMsg string // substring
	}{
		{"abort/16", network.Version17, "vm.abort", []byte("bye"), []uint64{16, A, 3}, 16, 0, "bye"},
		{"abort/0_is_illegal", network.Version17, "vm.abort", nil, []uint64{0, A, 0}, 9, 0, "code 0"},
		{"abort/15_is_illegal", network.Version17, "vm.abort", nil, []uint64{15, A, 0}, 9, 0, "code 15"},
		{"abort/u32_max", network.Version17, "vm.abort", nil, []uint64{0xffffffff, A, 0}, 0xffffffff, 0, "actor aborted"},
		{"abort/no_message", network.Version17, "vm.abort", nil, []uint64{24, A, 0}, 24, 0, "actor aborted"},
		{"abort/message_oob_keeps_code", network.Version17, "vm.abort", nil, []uint64{20, memSize, 1}, 20, 0, "invalid message"},
		{"abort/message_not_utf8_keeps_code", network.Version17, "vm.abort", []byte{0xff}, []uint64{21, A, 1}, 21, 0, "invalid message"},
		{"exit/0_no_block", network.Version18, "vm.exit", nil, []uint64{0, 0, A, 0}, 0, 0, "actor aborted"},
		{"exit/0_with_block", network.Version18, "vm.exit", nil, []uint64{0, 5, A, 0}, 0, 5, ""},
		{"exit/1_keeps_block", network.Version18, "vm.exit", nil, []uint64{1, 5, A, 0}, 9, 5, "code 1"},
		{"exit/15", network.Version18, "vm.exit", nil, []uint64{15, 0, A, 0}, 9, 0, "code 15"},
		{"exit/16_with_block", network.Version18, "vm.exit", []byte("err"), []uint64{16, 3, A, 3}, 16, 3, "err"},
		{"exit/message_oob", network.Version18, "vm.exit", nil, []uint64{18, 0, memSize, 1}, 18, 0, "failed to extract"},
		{"exit/message_lossy", network.Version18, "vm.exit", []byte{'a', 0xff, 'b'}, []uint64{19, 0, A, 3}, 19, 0, "a\uFFFDb"},
		{"exit/message_long", network.Version18, "vm.exit", long, []uint64{20, 0, A, 1500}, 20, 0, "(skipped 476 bytes)"},
	}
	forEngines(t, func(t *testing.T, engine int) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				h := newHarness(t, engine, c.nv)
				h.write(A, c.msg)
				// A failing syscall first: abort/exit must not overwrite it.
				step := []any{c.fn}
				for _, a := range c.args {
					step = append(step, a)
				}
				out := h.calls([]any{"self.set_root", uint64(memSize + 1)}, step)
				if out.Kind != Aborted || out.ExitCode != c.code || out.ReturnID != c.blk {
					t.Fatalf("got %v code %d blk %d (%v), want Aborted %d %d", out.Kind, out.ExitCode, out.ReturnID, out.Err, c.code, c.blk)
				}
				if !strings.Contains(out.Message, c.wantMsg) {
					t.Fatalf("message %q lacks %q", out.Message, c.wantMsg)
				}
				if c.name == "exit/message_long" && len(out.Message) > 1100 {
					t.Fatalf("message not shortened: %d bytes", len(out.Message))
				}
				if !errors.Is(out.LastError, errno.New(errno.IllegalArgument, "")) {
					t.Fatalf("last error %v was overwritten", out.LastError)
				}
				// Two syscalls (each OnSyscall) and the global re-synced after the exit.
				if h.k.tracker.Used() != 2*syscallGas || int64(h.g.Get()) != int64(testLimit-2*syscallGas) {
					t.Fatalf("used %d global %d", h.k.tracker.Used(), int64(h.g.Get()))
				}
			})
		}
	})
}

// TestTraps: wasm traps are Trapped; a negative gas global at the trap or at
// return is OutOfGas (fvm-gas.md §3.5 steps 6–8).
func TestTraps(t *testing.T) {
	forEngines(t, func(t *testing.T, engine int) {
		for _, nv := range networkVersions {
			for _, c := range []struct {
				fn   string
				args []uint64
				kind OutcomeKind
			}{
				{"trap_unreachable", nil, Trapped},
				{"trap_div0", []uint64{0}, Trapped},
				{"trap_oob", []uint64{memSize - 3}, Trapped},
				{"trap_stack", []uint64{0}, Trapped},
				{"gas_negative_trap", []uint64{^uint64(0)}, OutOfGas}, // −1
				{"gas_negative_trap", []uint64{1 << 63}, OutOfGas},    // MinInt64
				{"set_gas", []uint64{^uint64(4)}, OutOfGas},           // −5, then a normal return
				{"trap_div0", []uint64{1}, Returned},
			} {
				t.Run(fmt.Sprintf("nv%d/%s/%d", nv, c.fn, len(c.args)), func(t *testing.T) {
					h := newHarness(t, engine, nv)
					_, out := h.call(c.fn, c.args...)
					if out.Kind != c.kind {
						t.Fatalf("got %v (%v %q), want %v", out.Kind, out.Err, out.Message, c.kind)
					}
					if c.kind == OutOfGas && (h.k.tracker.Used() != testLimit || !errors.Is(out.Err, gas.ErrOutOfGas)) {
						t.Fatalf("used %d of %d, err %v", h.k.tracker.Used(), testLimit, out.Err)
					}
					if c.kind == Trapped && out.Message == "" {
						t.Fatal("no trap description")
					}
				})
			}
		}
	})
}

// TestExecGasBaseline computes the nv17/nv18 difference of fvm-abi.md §1.3
// step 3 by hand. Limit L; wasm burns 100 mg, calls debug.enabled with a bad
// ret_ptr (exec 100 + OnSyscall 14,000,000 mg, global not re-synced), burns
// 200 more and returns. The final charge is 200 in nv17 (baseline moved to
// L−100) but 300 in nv18 (baseline still L): the first 100 are paid twice.
// With a good ret_ptr both charge 100 + 14,000,000 + 200.
func TestExecGasBaseline(t *testing.T) {
	const L = testLimit
	for _, c := range []struct {
		nv   network.Version
		ret  uint64
		used gas.Gas
	}{
		{network.Version17, memSize - 3, 100 + syscallGas + 200},
		{network.Version18, memSize - 3, 100 + syscallGas + 300},
		{network.Version17, R, 100 + syscallGas + 200},
		{network.Version18, R, 100 + syscallGas + 200},
	} {
		forEngines(t, func(t *testing.T, engine int) {
			h := newHarness(t, engine, c.nv)
			f, set := h.mod.ExportedFunction("burn_then_enabled"), h.mod.ExportedFunction("set_gas")
			out := Invoke(h.ctx, h.k, h.mem, h.g, func(ctx context.Context, _ uint32) (uint32, error) {
				if int64(h.g.Get()) != int64(L) {
					t.Errorf("global %d before invoke, want %d", int64(h.g.Get()), L)
				}
				if _, err := f.Call(ctx, uint64(L-100), c.ret); err != nil {
					return 0, err
				}
				g := gas.Gas(int64(h.g.Get()))
				if c.ret != R && g != L-100 {
					t.Errorf("global re-synced to %d after a bad ret_ptr", g)
				}
				if c.ret == R && g != L-100-syscallGas {
					t.Errorf("global %d after a good syscall, want %d", g, L-100-syscallGas)
				}
				_, err := set.Call(ctx, uint64(g-200))
				return 0, err
			}, 0)
			if out.Kind != Returned || h.k.tracker.Used() != c.used {
				t.Fatalf("nv%d ret %d: %v used %d, want %d", c.nv, c.ret, out.Kind, h.k.tracker.Used(), c.used)
			}
		})
	}
}

// TestWrapperGasOrder: the exec charge and OnSyscall come before anything
// else; running out in either traps OutOfGas without a re-sync; a kernel
// charge is reflected in the global afterwards.
func TestWrapperGasOrder(t *testing.T) {
	forEngines(t, func(t *testing.T, engine int) {
		for _, nv := range networkVersions {
			// OnSyscall does not fit: limit = 100 + OnSyscall − 1.
			h := newHarness(t, engine, nv)
			limit := 100 + syscallGas - 1
			h.k.tracker = gas.NewTracker(limit)
			var afterCall gas.Gas
			out := Invoke(h.ctx, h.k, h.mem, h.g, func(ctx context.Context, _ uint32) (uint32, error) {
				_, err := h.mod.ExportedFunction("burn_then_enabled").Call(ctx, uint64(limit-100), R)
				afterCall = gas.Gas(int64(h.g.Get()))
				return 0, err
			}, 0)
			if out.Kind != OutOfGas || h.k.tracker.Used() != limit || afterCall != limit-100 || len(h.k.calls) != 0 {
				t.Fatalf("nv%d: %v used %d global %d calls %q", nv, out.Kind, h.k.tracker.Used(), afterCall, h.k.calls)
			}

			// A kernel charge of 5,000 mg shows in the re-synced global.
			h = newHarness(t, engine, nv)
			h.k.charge = 5000
			h.write(A, testCID.Bytes())
			if r, out := h.call("self.set_root", A); r != 0 || out.Kind != Returned {
				t.Fatalf("set_root: %d %v", r, out.Kind)
			}
			if int64(h.g.Get()) != int64(testLimit-syscallGas-5000) {
				t.Fatalf("global %d after a kernel charge", int64(h.g.Get()))
			}
		}
	})
}

// TestHostTrapThroughWazero: a host panic comes back from Call as an error
// wrapping the panic value, on both engines (so errors.As finds it).
func TestHostTrapThroughWazero(t *testing.T) {
	forEngines(t, func(t *testing.T, engine int) {
		h := newHarness(t, engine, network.Version18)
		var raw error
		out := Invoke(h.ctx, h.k, h.mem, h.g, func(ctx context.Context, _ uint32) (uint32, error) {
			_, raw = h.mod.ExportedFunction("vm.exit").Call(ctx, 16, 0, 0, 0)
			return 0, raw
		}, 0)
		var tr *hostTrap
		if !errors.As(raw, &tr) || tr.kind != trapExit || tr.code != 16 {
			t.Fatalf("Call error %v does not wrap the host trap", raw)
		}
		if out.Kind != Aborted {
			t.Fatalf("outcome %v", out.Kind)
		}
	})
}

// TestOutsideInvoke: a syscall made without an Invocation in the context is
// fatal, never a Go panic escaping wazero.
func TestOutsideInvoke(t *testing.T) {
	forEngines(t, func(t *testing.T, engine int) {
		h := newHarness(t, engine, network.Version17)
		_, err := h.mod.ExportedFunction("debug.enabled").Call(context.Background(), R)
		if !errors.Is(err, errNoInvocation) {
			t.Fatalf("got %v", err)
		}
	})
}

// TestInvokeResults: invoke's return value and a panic in the engine.
func TestInvokeResults(t *testing.T) {
	k := newFake(network.Version18, testLimit)
	h := newHarness(t, 0, network.Version18)
	out := Invoke(h.ctx, k, h.mem, h.g, func(ctx context.Context, p uint32) (uint32, error) {
		r, err := h.mod.ExportedFunction("invoke").Call(ctx, uint64(p))
		return uint32(r[0]), err
	}, 7)
	if out.Kind != Returned || out.ReturnID != 7 {
		t.Fatalf("got %v %d", out.Kind, out.ReturnID)
	}
	out = Invoke(h.ctx, k, h.mem, h.g, func(context.Context, uint32) (uint32, error) { panic("engine bug") }, 0)
	if out.Kind != Fatal || !strings.Contains(out.Err.Error(), "engine bug") {
		t.Fatalf("got %v %v", out.Kind, out.Err)
	}
	out = Invoke(h.ctx, k, h.mem, nil, func(context.Context, uint32) (uint32, error) { return 0, nil }, 0)
	if out.Kind != Fatal {
		t.Fatalf("no gas global is %v", out.Kind)
	}
	out = Invoke(h.ctx, k, h.mem, h.g, func(context.Context, uint32) (uint32, error) { return 0, errors.New("closed") }, 0)
	if out.Kind != Fatal {
		t.Fatalf("a non-trap error is %v", out.Kind)
	}
}

// TestNestedInvocation: a send runs another invocation under the host-call
// context; each sees its own Invocation and the caller re-syncs afterwards.
func TestNestedInvocation(t *testing.T) {
	forEngines(t, func(t *testing.T, engine int) {
		outer := newHarness(t, engine, network.Version18)
		inner := newHarness(t, engine, network.Version18)
		inner.k.tracker = outer.k.tracker
		inner.k.debug = true
		var innerOut Outcome
		outer.k.onSend = func(ctx context.Context) {
			innerOut = Invoke(ctx, inner.k, inner.mem, inner.g, func(ctx context.Context, _ uint32) (uint32, error) {
				_, err := inner.mod.ExportedFunction("debug.enabled").Call(ctx, R)
				return 0, err
			}, 0)
		}
		outer.write(A, idAddr.Bytes())
		r, out := outer.call("send.send", R, A, 2, 0, 0, 0, 0, ^uint64(0), 0)
		if r != 0 || out.Kind != Returned || innerOut.Kind != Returned {
			t.Fatalf("outer %d %v inner %v", r, out.Kind, innerOut.Kind)
		}
		if got := inner.read(R, 4); !bytes.Equal(got, []byte{0, 0, 0, 0}) {
			t.Fatalf("inner wrote %x", got)
		}
		if got := outer.read(R, 21); !bytes.Equal(got, append(make([]byte, 20), fill)) {
			t.Fatalf("outer send result %x", got)
		}
		if len(outer.k.calls) != 1 || len(inner.k.calls) != 0 {
			t.Fatalf("calls outer %q inner %q", outer.k.calls, inner.k.calls)
		}
		if int64(outer.g.Get()) != int64(testLimit-2*syscallGas) {
			t.Fatalf("outer global %d", int64(outer.g.Get()))
		}
	})
}

// TestLink: imports outside the ABI (or with another type) are link errors,
// both from wazero at instantiation and from CheckImports beforehand.
func TestLink(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		code []byte
		nv   network.Version
		ok   bool
	}{
		{"unknown", linkUnknownWasm, network.Version18, false},
		{"bad_signature", linkBadSigWasm, network.Version17, false},
		{"v3_import_on_v2", v3OnV2Wasm, network.Version17, false},
		{"v3_import_on_v3", v3OnV2Wasm, network.Version18, true},
		{"v2_driver_on_v2", abiV2Wasm, network.Version17, true},
		{"v3_driver_on_v3", abiV3Wasm, network.Version18, true},
		{"v3_driver_on_v2", abiV3Wasm, network.Version17, false},
		{"v2_driver_on_v3", abiV2Wasm, network.Version18, false},
		{"v4_driver_on_v4", abiV4Wasm, network.Version21, true},
		{"v4_driver_on_v4_nv28", abiV4Wasm, network.Version28, true},
		{"v3_driver_on_v4", abiV3Wasm, network.Version21, false},
		{"v4_driver_on_v3", abiV4Wasm, network.Version20, false},
		// fvm-abi-next.md §14 scenario 28: verify_seal links on 2.12.1 only;
		// upgrade_actor on no mainnet engine.
		{"verify_seal_on_v2", linkVerifySealWasm, network.Version16, true},
		{"verify_seal_on_v3", linkVerifySealWasm, network.Version18, false},
		{"verify_seal_on_v4", linkVerifySealWasm, network.Version21, false},
		{"verify_seal_nv17", linkVerifySealWasm, network.Version17, true},
		{"verify_seal_nv19", linkVerifySealWasm, network.Version19, false},
		{"verify_seal_nv20", linkVerifySealWasm, network.Version20, false},
		{"upgrade_actor_on_v2", linkUpgradeWasm, network.Version17, false},
		{"upgrade_actor_on_v3", linkUpgradeWasm, network.Version20, false},
		{"upgrade_actor_on_v4", linkUpgradeWasm, network.Version28, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
			defer rt.Close(ctx)
			if err := Register(ctx, rt, c.nv); err != nil {
				t.Fatal(err)
			}
			cm, err := rt.CompileModule(ctx, c.code)
			if err != nil {
				t.Fatal(err)
			}
			checkErr := CheckImports(cm, c.nv)
			_, instErr := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
			if c.ok != (checkErr == nil) || c.ok != (instErr == nil) {
				t.Fatalf("CheckImports %v, instantiate %v, want ok=%v", checkErr, instErr, c.ok)
			}
			var le *LinkError
			if !c.ok && (!errors.As(checkErr, &le) || !errors.Is(checkErr, ErrLink)) {
				t.Fatalf("%v is not a *LinkError", checkErr)
			}
		})
	}
}

// TestImportCounts: 36 host functions for the v2 ABI (fvm-abi.md §3.1), 40
// for v3 as 3.14.1 binds it (fvm-abi.md's 41 without crypto.verify_seal)
// and 41 for v4 (v3's with crypto.verify_bls_aggregate; fvm-abi-next.md
// §3.1), every one returning one i32.
func TestImportCounts(t *testing.T) {
	for nv, want := range map[network.Version]int{network.Version16: 36, network.Version17: 36,
		network.Version18: 40, network.Version19: 40, network.Version20: 40,
		network.Version21: 41, network.Version28: 41} {
		ims, err := Imports(nv)
		if err != nil {
			t.Fatal(err)
		}
		if len(ims) != want {
			t.Fatalf("nv%d: %d imports, want %d", nv, len(ims), want)
		}
	}
	for nv, want := range map[network.Version]ABI{network.Version16: ABIv2, network.Version19: ABIv3,
		network.Version20: ABIv3, network.Version21: ABIv4, network.Version28: ABIv4} {
		if got, err := ABIFor(nv); err != nil || got != want {
			t.Errorf("ABIFor(nv%d) = %d, %v; want %d", nv, got, err, want)
		}
	}
	for _, nv := range []network.Version{network.Version15, network.Version29} {
		if _, err := ABIFor(nv); err == nil {
			t.Errorf("nv%d has an ABI", nv)
		}
	}
	rt := wazero.NewRuntime(context.Background())
	defer rt.Close(context.Background())
	if err := Register(context.Background(), rt, network.Version14); err == nil {
		t.Fatal("Register accepted nv14")
	}
}

// TestMemoryGrowSplit: nv18 charges the part of the exec gas that paid for
// memory grown since the last sync as wasm_memory_grow (0.4 gas × 65,536 per
// page, fvm-gas.md §3.5 step 5.1), capped at the total; nv17 does not split.
func TestMemoryGrowSplit(t *testing.T) {
	const page = 26_214_400 // mg
	for _, c := range []struct {
		nv     network.Version
		burn   gas.Gas
		exec   gas.Gas
		grow   gas.Gas
		splits bool
	}{
		{network.Version18, 30_000_000, 30_000_000 - page, page, true},
		{network.Version18, 1000, 0, 1000, true},
		{network.Version17, 30_000_000, 30_000_000, 0, false},
	} {
		forEngines(t, func(t *testing.T, engine int) {
			h := newHarness(t, engine, c.nv)
			var charges []gas.Charge
			h.k.tracker.OnCharge = func(ch gas.Charge) { charges = append(charges, ch) }
			out := Invoke(h.ctx, h.k, h.mem, h.g, func(ctx context.Context, _ uint32) (uint32, error) {
				if r, err := h.mod.ExportedFunction("grow").Call(ctx, 1); err != nil || r[0] != 1 {
					return 0, fmt.Errorf("grow: %v %v", r, err)
				}
				if _, err := h.mod.ExportedFunction("set_gas").Call(ctx, uint64(testLimit-c.burn)); err != nil {
					return 0, err
				}
				_, err := h.mod.ExportedFunction("debug.enabled").Call(ctx, R)
				return 0, err
			}, 0)
			if out.Kind != Returned {
				t.Fatal(out.Kind, out.Err)
			}
			want := []gas.Charge{{Name: "wasm_exec", Compute: c.exec}}
			if c.splits {
				want = append(want, gas.Charge{Name: "wasm_memory_grow", Compute: c.grow})
			}
			want = append(want, gas.Charge{Name: "OnSyscall", Compute: syscallGas}, gas.Charge{Name: "wasm_exec"})
			if fmt.Sprint(charges) != fmt.Sprint(want) {
				t.Fatalf("nv%d charges\n got %v\nwant %v", c.nv, charges, want)
			}
			if h.k.tracker.Used() != c.burn+syscallGas {
				t.Fatalf("total %d changed by the split", h.k.tracker.Used())
			}
		})
	}
}
