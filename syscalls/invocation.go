package syscalls

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/gas"
)

// Invocation is the per-call state the host functions need: the kernel of
// this actor call, the instance's memory, its gas global and the exec-gas
// baseline. It travels in the context of the wasm call (one ctx.Value lookup
// per syscall); the package keeps no globals.
type Invocation struct {
	k    Kernel
	mem  api.Memory
	gas  api.MutableGlobal
	last gas.Gas // milligas the wasm global held at the last sync (fvm-gas.md §3.5)
	// keepBaseline: charge_for_exec does not move last (Rules.
	// ExecChargeKeepsBaseline, fvm-abi.md §1.3 step 3); unsigned: gas
	// cannot go negative (not gas.Rules.SignedGas).
	keepBaseline, unsigned bool

	// onSyscall is the wrapper's fixed charge, read once per invocation.
	onSyscall gas.Charge
	// growPerPage prices memory grown since the last sync; where it is
	// priced (Hygge) that part of wasm_exec is charged as wasm_memory_grow
	// (traces only, same total).
	growPerPage gas.Gas
	lastPages   uint32
	// lastErr is the last syscall error (backtrace cause; diagnostic only).
	lastErr error
}

type invocationKey struct{}

// fromContext returns the invocation a host function runs for, or nil when
// the actor is called outside Invoke.
func fromContext(ctx context.Context) *Invocation {
	inv, _ := ctx.Value(invocationKey{}).(*Invocation)
	return inv
}

// Kernel returns the kernel of the invocation.
func (inv *Invocation) Kernel() Kernel { return inv.k }

// OutcomeKind says how an invocation ended (fvm-abi.md §5.2).
type OutcomeKind uint8

const (
	// Returned: invoke returned normally; ReturnID is its result (0 = no
	// data). An id the registry does not hold is SYS_MISSING_RETURN (11),
	// which the kernel decides.
	Returned OutcomeKind = iota
	// Aborted: the actor called vm.abort (nv17) or vm.exit (nv18).
	// ExitCode is already mapped as the ABI requires (nv17 code < 16,
	// including 0 → 9; nv18 1..15 → 9). In nv18 ExitCode may be 0: exit(0,
	// blk) is a success carrying blk. ReturnID is the block id passed to exit
	// (always 0 in nv17). Unlike Returned, a non-zero ReturnID that the
	// registry does not hold is a fatal error, not exit 11
	// (fvm/src/call_manager/default.rs @fvm@v3.1.0).
	Aborted
	// Trapped: a wasm trap (unreachable, out-of-bounds memory, division by
	// zero, bad conversion, indirect-call failure, stack overflow): exit
	// SYS_ILLEGAL_INSTRUCTION (4). Message describes the trap.
	Trapped
	// OutOfGas: the tracker ran out, on the host side or through a negative
	// gas global. Err is gas.ErrOutOfGas.
	OutOfGas
	// Fatal: the whole message fails (exit 10, all gas). Err says why.
	Fatal
)

func (k OutcomeKind) String() string {
	switch k {
	case Returned:
		return "Returned"
	case Aborted:
		return "Aborted"
	case Trapped:
		return "Trapped"
	case OutOfGas:
		return "OutOfGas"
	case Fatal:
		return "Fatal"
	}
	return fmt.Sprintf("OutcomeKind(%d)", uint8(k))
}

// Outcome is the classified end of one invocation.
type Outcome struct {
	Kind     OutcomeKind
	ReturnID uint32            // Returned: invoke's result; Aborted: the exit block id
	ExitCode exitcode.ExitCode // Aborted only
	Message  string            // Aborted: the actor's text; Trapped: the trap
	Err      error             // OutOfGas and Fatal
	// LastError is the last syscall error the actor saw (the backtrace cause
	// of fvm-abi.md §5.3); nil if its last syscall succeeded.
	LastError error
}

// Invoke runs one actor call through the steps 5–7 of fvm-abi.md §5.1:
// update_gas_available, invoke(params) with the Invocation in ctx, a final
// charge_for_exec, then classification. invoke is the instance's exported
// invoke function; mem and gasGlobal are the same instance's "memory" and
// "gas_counter" exports.
func Invoke(ctx context.Context, k Kernel, mem api.Memory, gasGlobal api.MutableGlobal,
	invoke func(ctx context.Context, params uint32) (uint32, error), params uint32) (out Outcome) {
	if mem == nil || gasGlobal == nil {
		return Outcome{Kind: Fatal, Err: errors.New("syscalls: instance without memory or gas_counter export")}
	}
	p := k.PriceList()
	inv := &Invocation{
		k:            k,
		mem:          mem,
		gas:          gasGlobal,
		keepBaseline: k.Rules().ExecChargeKeepsBaseline,
		unsigned:     !p.Rules.SignedGas,
		onSyscall:    p.OnSyscall(),
		growPerPage:  p.Exec.MemoryGrowPerPage,
	}
	inv.updateGasAvailable()

	ret, callErr := callInvoke(context.WithValue(ctx, invocationKey{}, inv), invoke, params)

	// The final charge runs before the trap is looked at, so a negative global
	// (the metering code's unreachable) is OutOfGas, not a trap (fvm-gas.md
	// §3.5 steps 6–7).
	if err := inv.chargeForExec(); err != nil {
		return inv.failure(err)
	}
	if callErr == nil {
		return Outcome{Kind: Returned, ReturnID: ret, LastError: inv.lastErr}
	}
	var t *hostTrap
	if errors.As(callErr, &t) {
		switch t.kind {
		case trapExit:
			return Outcome{Kind: Aborted, ExitCode: t.code, ReturnID: t.blk, Message: t.msg, LastError: inv.lastErr}
		case trapOutOfGas:
			return Outcome{Kind: OutOfGas, Err: gas.ErrOutOfGas, LastError: inv.lastErr}
		default:
			return Outcome{Kind: Fatal, Err: t.err, LastError: inv.lastErr}
		}
	}
	if isWasmTrap(callErr) {
		return Outcome{Kind: Trapped, Message: callErr.Error(), LastError: inv.lastErr}
	}
	return Outcome{Kind: Fatal, Err: fmt.Errorf("invoke: %w", callErr), LastError: inv.lastErr}
}

// callInvoke turns a Go panic escaping the engine into an error (fatal), as
// the reference's catch_unwind around invoke does.
func callInvoke(ctx context.Context, invoke func(context.Context, uint32) (uint32, error), params uint32) (ret uint32, err error) {
	defer func() {
		if r := recover(); r != nil {
			if t, ok := r.(*hostTrap); ok {
				err = t
				return
			}
			err = fmt.Errorf("panic within actor: %v", r)
		}
	}()
	return invoke(ctx, params)
}

func (inv *Invocation) failure(err error) Outcome {
	if errors.Is(err, gas.ErrOutOfGas) {
		return Outcome{Kind: OutOfGas, Err: gas.ErrOutOfGas, LastError: inv.lastErr}
	}
	return Outcome{Kind: Fatal, Err: err, LastError: inv.lastErr}
}

// wazeroTrapPkg is where wazero defines its trap errors (unreachable, out of
// bounds, divide by zero, …). They are internal, so we recognise them by the
// package of their type rather than by message text.
const wazeroTrapPkg = "github.com/tetratelabs/wazero/internal/wasmruntime"

func isWasmTrap(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		t := reflect.TypeOf(e)
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.PkgPath() == wazeroTrapPkg {
			return true
		}
	}
	return false
}

// updateGasAvailable sets the wasm global to the tracker's available milligas
// and makes that the exec-gas baseline (fvm-gas.md §3.5 step 3 and 5.4).
func (inv *Invocation) updateGasAvailable() {
	avail := inv.k.GasTracker().Available()
	inv.gas.Set(uint64(avail))
	inv.last = avail
	inv.lastPages = inv.mem.Size() / wasmPage
}

const wasmPage = 65536

// chargeForExec charges the execution gas since the last sync as wasm_exec
// (fvm-gas.md §3.5 step 5.1). v2 moves the baseline to the global's value;
// v3 leaves it where update_gas_available put it, which is why a syscall
// that returns early (bad ret_ptr) has its exec gas charged twice there
// (fvm-abi.md §1.3 step 3).
func (inv *Invocation) chargeForExec() error {
	g := gas.Gas(int64(inv.gas.Get()))
	var charge gas.Gas
	if inv.unsigned {
		// fvm@v3.1.0 mod.rs: negative → last + |g| (guarantees OOG);
		// otherwise last − g saturating at 0 (unsigned gas).
		if g < 0 {
			charge = inv.last.Add(absGas(g))
		} else if g < inv.last {
			charge = inv.last - g
		}
	} else {
		// fvm@v2.12.1 mod.rs: signed saturating last − g.
		charge = subSat(inv.last, g)
	}
	if !inv.keepBaseline {
		inv.last = g
	}
	if inv.growPerPage == 0 {
		return inv.k.GasTracker().Apply(gas.Charge{Name: "wasm_exec", Compute: charge})
	}
	// The part of the charge that paid for memory growth since the last
	// sync is charged as wasm_memory_grow, capped at the total.
	var grow gas.Gas
	if pages := inv.mem.Size() / wasmPage; pages > inv.lastPages {
		grow = inv.growPerPage.Mul(int64(pages - inv.lastPages))
	}
	if grow > charge {
		grow = charge
	}
	if err := inv.k.GasTracker().Apply(gas.Charge{Name: "wasm_exec", Compute: charge - grow}); err != nil {
		return err
	}
	if grow != 0 {
		return inv.k.GasTracker().Apply(gas.Charge{Name: "wasm_memory_grow", Compute: grow})
	}
	return nil
}

func absGas(g gas.Gas) gas.Gas {
	if g == -g && g != 0 { // MinInt64
		return gas.Gas(1<<63 - 1)
	}
	if g < 0 {
		return -g
	}
	return g
}

// subSat is saturating a − b on int64 (Rust i64::saturating_sub).
func subSat(a, b gas.Gas) gas.Gas {
	d := a - b
	if (b > 0 && d > a) || (b < 0 && d < a) {
		if b > 0 {
			return gas.Gas(-1 << 63)
		}
		return gas.Gas(1<<63 - 1)
	}
	return d
}
