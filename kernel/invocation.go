package kernel

import (
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/reachability"
)

// invocationKernel is the per-invocation kernel: one value per actor call,
// holding the call's identity and its block registry (fvm-abi.md §5.1). Its
// methods, grouped by syscall family in the kernel_*.go files, implement
// syscalls.Kernel.
type invocationKernel struct {
	cm       *callManager
	reg      *blockRegistry
	caller   abi.ActorID
	receiver abi.ActorID
	method   abi.MethodNum
	value    abi.TokenAmount
	readOnly bool
	code     cid.Cid
	ctx      context.Context
	// reach is the invocation's reachable set (nil-safe; compat checks nothing).
	reach *reachability.Set
}

// errFatal marks errors that fail the whole message (exit 10, all gas).
var errFatal = errors.New("fatal")

func fatalf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errFatal, fmt.Sprintf(format, args...))
}

// invoke runs the receiver's code: module lookup, the wasm init charges,
// instantiation, invoke, outcome classification (fvm-abi.md §5.1, §5.2).
// Only the returned block survives the call.
func (cm *callManager) invoke(ctx context.Context, k *invocationKernel, head cid.Cid, paramsID uint32) (callResult, error) {
	k.ctx = ctx
	if cm.rules.Reachability {
		// FIP-0071 as consensus (fvm-abi-next.md §4.1): a fresh set holding
		// only the params' links; the state root joins at self.root.
		k.reach = reachability.NewSet(reachability.Consensus)
		if paramsID != 0 {
			if b, err := k.reg.get(paramsID); err == nil {
				k.reach.MarkLinks(b.Links)
			}
		}
	} else if mode := cm.m.cfg.reachability; mode != reachability.Compat {
		// The nv ≤ 20 strict and audit options: the state root and the
		// params' links are reachable from the start.
		k.reach = reachability.NewSet(mode)
		k.reach.AddRoot(head)
		if paramsID != 0 {
			if b, err := k.reg.get(paramsID); err == nil {
				if err := k.reach.Received(b.Codec, b.Data); err != nil {
					return callResult{}, err
				}
			}
		}
	}
	eng := cm.m.cfg.engine
	if eng == nil {
		return callResult{}, fatalf("no wasm engine configured to run actor code %s", k.code)
	}
	mod, err := cm.m.loadModule(ctx, k.code)
	if err != nil {
		return callResult{}, err
	}
	if cm.p.Rules.WasmInitCharges {
		// wasm_table_init (only for an export named exactly "table"), then
		// wasm_memory_init, both before instantiation (fvm-gas.md §2.2).
		if elems, ok := mod.TableExport(); ok {
			if err := cm.charge(cm.p.WasmTableInit(int64(elems))); err != nil {
				return callResult{}, err
			}
		}
		minMem, ok := mod.MinMemoryBytes()
		if !ok {
			return callResult{}, fatalf("actor %s has no memory export", k.code)
		}
		if err := cm.charge(cm.p.WasmMemoryInit(int64(minMem))); err != nil {
			return callResult{}, err
		}
	}
	inst, err := eng.Instantiate(ctx, mod, cm.memory)
	if err != nil {
		var ie *InstantiationError
		if cm.rules.InstantiationTrap && errors.As(err, &ie) && ie.Trap {
			return callResult{exit: exitIllegalInstruction}, nil
		}
		if cm.rules.MissingEntryPointExit && errors.As(err, &ie) && ie.NoEntryPoint {
			// FVM 4.1+: no `invoke` export is the callee's exit, not a
			// fatal error (fvm-abi-next.md §1.2).
			return callResult{exit: exitcode.SysErrInvalidReceiver}, nil
		}
		return callResult{}, fatalf("instantiating %s: %v", k.code, err)
	}
	defer inst.Close(ctx)
	out := eng.Run(ctx, k, inst, paramsID)
	if vs, _ := k.reach.Violations(); len(vs) > 0 {
		for _, v := range vs {
			cm.violations = append(cm.violations, ReachabilityViolation{Actor: k.receiver, Method: k.method, Violation: v})
		}
	}
	res, err := k.classify(out)
	if err != nil || res.exit != exitcode.Ok {
		frame := fmt.Sprintf("actor %d method %d: exit %d %s", k.receiver, k.method, res.exit, out.Message)
		if err != nil {
			frame = fmt.Sprintf("actor %d method %d: %v", k.receiver, k.method, err)
		}
		if out.LastError != nil {
			frame += " (last syscall error: " + out.LastError.Error() + ")"
		}
		cm.backtrace = append(cm.backtrace, frame)
	}
	return res, err
}

// InstantiationError is what an Engine returns when instantiation fails;
// Trap marks resource-limit and start-function failures (exit 4 with
// Rules.InstantiationTrap) as opposed to link errors (fatal), and
// NoEntryPoint a module that exports no `invoke` function (exit 5 with
// Rules.MissingEntryPointExit, fatal otherwise).
type InstantiationError struct {
	Trap         bool
	NoEntryPoint bool
	Err          error
}

func (e *InstantiationError) Error() string { return e.Err.Error() }
func (e *InstantiationError) Unwrap() error { return e.Err }

func (k *invocationKernel) classify(out Outcome) (callResult, error) {
	switch out.Kind {
	case Returned:
		if out.BlockID == 0 {
			return callResult{exit: exitcode.Ok}, nil
		}
		b, err := k.reg.get(out.BlockID)
		if err != nil {
			return callResult{exit: exitMissingReturn}, nil
		}
		return callResult{exit: exitcode.Ok, ret: b}, nil
	case Aborted:
		code := exitcode.ExitCode(out.Code)
		if !k.cm.rules.ExitWithData || out.BlockID == 0 {
			return callResult{exit: code}, nil
		}
		b, err := k.reg.get(out.BlockID)
		if err != nil { // vm.exit with an unknown block: fatal, not exit 11
			return callResult{}, fatalf("exit data block %d does not exist", out.BlockID)
		}
		return callResult{exit: code, ret: b}, nil
	case Trapped:
		return callResult{exit: exitIllegalInstruction}, nil
	case OutOfGas:
		return callResult{}, gas.ErrOutOfGas
	default:
		if out.Err == nil {
			out.Err = errors.New(out.Message)
		}
		// %v, not %w: a fatal error must not look like a syscall error to
		// errno.Of, whatever it wraps.
		return callResult{}, fmt.Errorf("%w: %v", errFatal, out.Err)
	}
}

// loadModule finds an actor's wasm (the code block, loaded from the bundle
// into the blockstore) and compiles it once per code CID.
func (m *Machine) loadModule(ctx context.Context, code cid.Cid) (Module, error) {
	if m.rules.OnlyManifestCode && m.manifest.TypeOf(code) == 0 {
		// v2 only runs modules preloaded from the manifest.
		return nil, fatalf("actor code %s is not a builtin actor", code)
	}
	blk, err := m.bs.Get(ctx, code)
	if err != nil {
		return nil, fatalf("actor code %s not found: %v", code, err)
	}
	mod, err := m.cfg.engine.Load(ctx, code, blk.RawData(), m.rules.NetworkVersion)
	if err != nil {
		return nil, fatalf("loading actor code %s: %v", code, err)
	}
	return mod, nil
}
