package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Instantiation outcomes the kernel must tell apart (fvm-abi.md §5.1 step 3,
// ref-fvm v3 engine.rs instantiate).
var (
	// ErrLink: an import no host module satisfies. Fatal.
	ErrLink = errors.New("engine: link error")
	// ErrMissingExport: `memory` missing, or `invoke` of the wrong type.
	// Fatal (fvm-abi.md §1.1).
	ErrMissingExport = errors.New("engine: missing or mistyped export")
	// ErrNoEntryPoint: the module exports no function named `invoke`. It is
	// reported after instantiation (a start function has run and may have
	// trapped first). FVM v2, v3 and v4.0 treat it as fatal; v4.1 and later
	// end the call with SYS_INVALID_RECEIVER (fvm-abi-next.md §1.2), which
	// the kernel decides from its rules. IsFatalInstantiation says fatal.
	ErrNoEntryPoint = errors.New("engine: module exports no invoke function")
	// ErrResourceLimit: the call stack's memory budget (FVM v3, v4) has no
	// room for the instance's initial memory and tables: the call ends with
	// SYS_ILLEGAL_INSTRUCTION.
	ErrResourceLimit = errors.New("engine: resource limit exceeded")
	// ErrInstantiationTrap: instantiation trapped (start function, data or
	// element segment out of bounds). FVM v3, v4: SYS_ILLEGAL_INSTRUCTION.
	ErrInstantiationTrap = errors.New("engine: instantiation trapped")
	// ErrClosed: Invoke on a closed instance, or Instantiate on a closed
	// engine (a kernel bug; fatal).
	ErrClosed = errors.New("engine: closed")
)

// errFatalV2 marks FVM v2 instantiation failures: FVM v2 maps every one
// of them to a fatal error (call_manager/default.rs, fvm@v2.12.1:
// get_instance(...).map_err(Abort::Fatal)).
var errFatalV2 = errors.New("fatal in FVM v2")

// IsFatalInstantiation reports whether an Instantiate error is fatal for the
// message: in FVM v2 every one; in v3 and v4 all but ErrResourceLimit and
// ErrInstantiationTrap, which end the call with SYS_ILLEGAL_INSTRUCTION.
func IsFatalInstantiation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, errFatalV2) {
		return true
	}
	return !errors.Is(err, ErrResourceLimit) && !errors.Is(err, ErrInstantiationTrap)
}

// Instance is one instantiation of a Module: a fresh store for one actor
// invocation (fvm-abi.md §5.1). It is used by one goroutine and must be
// closed; its memory is recycled on Close, so nothing obtained from it may be
// used afterwards.
type Instance struct {
	module *Module
	mod    api.Module
	mem    api.Memory
	gas    api.MutableGlobal
	invoke api.Function
	stack  [1]uint64

	budget *MemoryBudget
	mark   uint64
	lm     *linearMemory
	pool   *memoryPool
}

// instanceAllocator is the instance seen as wazero's memory allocator for its
// single memory: it binds a pooled buffer to the instance's limits.
type instanceAllocator Instance

func (a *instanceAllocator) Allocate(_, _ uint64) experimental.LinearMemory {
	in := (*Instance)(a)
	lm := in.pool.get()
	lm.budget = in.budget
	if in.module.variant.memoryLimits() {
		lm.max = MaxInstanceMemoryBytes
	}
	in.lm = lm
	return lm
}

// Instantiate creates a fresh instance of m. The FVM v3/v4 init charges
// (wasm_table_init, wasm_memory_init) are the caller's, before this call.
// budget is the call stack's memory account (nil: unlimited); the instance's
// initial memory and tables are counted now and released on Close.
//
// The instance may have been made ahead of time by a background goroutine
// (see WithPrewarm); it is then still untouched, so it is exactly what a
// fresh instantiation would give.
func (e *Engine) Instantiate(ctx context.Context, m *Module, budget *MemoryBudget) (*Instance, error) {
	in, err := e.instantiate(ctx, m, budget)
	if err != nil && m.variant == V2 {
		err = fmt.Errorf("%w (%w)", err, errFatalV2)
	}
	return in, err
}

func (e *Engine) instantiate(ctx context.Context, m *Module, budget *MemoryBudget) (*Instance, error) {
	if e.isClosed() {
		return nil, fmt.Errorf("%w: engine closed", ErrClosed)
	}
	if m.linkErr != nil {
		return nil, m.linkErr
	}
	if m.memoryErr != nil {
		return nil, m.memoryErr
	}
	mark := budget.Used()
	if m.variant.memoryLimits() {
		// Tables first, then memory, as wasmtime allocates them; each
		// through the limiter (fvm-gas.md §4).
		if m.minMemory > MaxInstanceMemoryBytes {
			return nil, fmt.Errorf("%w: initial memory %d bytes over the %d-byte instance limit", ErrResourceLimit, m.minMemory, MaxInstanceMemoryBytes)
		}
		if !budget.grow(m.tableElems*TableElementBytes) || !budget.grow(m.minMemory) {
			budget.restore(mark)
			return nil, fmt.Errorf("%w: call-stack memory budget %d bytes exhausted", ErrResourceLimit, budget.Limit())
		}
	}
	in := e.takePrewarmed(m)
	if in == nil {
		var err error
		if in, err = e.newInstance(ctx, m, budget); err != nil {
			budget.restore(mark)
			return nil, err
		}
	}
	e.kickPrewarm(m)
	in.budget, in.mark = budget, mark
	if in.lm != nil {
		in.lm.budget = budget
	}
	if m.entryErr != nil {
		// The reference looks the entry point up in the live instance.
		in.Close(ctx)
		return nil, m.entryErr
	}
	return in, nil
}

// newInstance instantiates m in wazero. A start function's memory growth
// counts against budget; prewarmed instances (budget nil) come only from
// modules without one.
func (e *Engine) newInstance(ctx context.Context, m *Module, budget *MemoryBudget) (*Instance, error) {
	in := &Instance{module: m, pool: e.pool, budget: budget}
	ctx = withInstance(experimental.WithMemoryAllocator(ctx, (*instanceAllocator)(in)), in)
	mod, err := e.runtimes[m.variant.index()].InstantiateModule(ctx, m.compiled, e.modCfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInstantiationTrap, err)
	}
	in.mod = mod
	in.mem = mod.ExportedMemory("memory")
	in.invoke = mod.ExportedFunction("invoke") // nil only with m.entryErr
	if in.mem == nil {                         // checked at load; defensive
		in.Close(ctx)
		return nil, fmt.Errorf("%w: memory", ErrMissingExport)
	}
	if g, ok := mod.ExportedGlobal("gas_counter").(api.MutableGlobal); ok && g.Type() == api.ValueTypeI64 {
		in.gas = g
	}
	return in, nil
}

// Module is the module this instance runs.
func (in *Instance) Module() *Module { return in.module }

// Memory is the exported `memory`, the one all syscall pointers refer to.
func (in *Instance) Memory() api.Memory { return in.mem }

// GasGlobal is the instrumented gas counter (milligas remaining, fvm-gas.md
// §3.5): the host sets it before invoke and after every syscall and reads it
// at each syscall entry and after invoke. Nil if the module does not export
// a mutable i64 `gas_counter` (only possible without instrumentation).
func (in *Instance) GasGlobal() api.MutableGlobal { return in.gas }

// Invoke calls the export `invoke(params)` and returns its result (the
// return block id). An error is either what a host function panicked with
// (wrapped; use errors.Is / errors.As) or a wasm trap, including the gas
// function's `unreachable` on a negative counter: the caller charges
// execution gas first and checks the counter before classifying a trap
// (fvm-gas.md §3.5 steps 6–8).
func (in *Instance) Invoke(ctx context.Context, params uint32) (uint32, error) {
	if in.mod == nil {
		return 0, ErrClosed
	}
	in.stack[0] = uint64(params)
	if err := in.invoke.CallWithStack(withInstance(ctx, in), in.stack[:]); err != nil {
		return 0, err
	}
	return uint32(in.stack[0]), nil
}

// Close releases the instance: its memory returns to the pool and the memory
// budget goes back to what it was before Instantiate (the reference restores
// it when the call frame exits). Close the instances of a call stack in
// reverse order of creation.
func (in *Instance) Close(ctx context.Context) {
	if in.mod == nil {
		return
	}
	_ = in.mod.Close(ctx)
	in.mod, in.mem, in.invoke, in.gas, in.lm = nil, nil, nil, nil, nil
	in.budget.restore(in.mark)
}
