package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// ErrLoad marks a module that failed instrumentation or compilation. The
// reference rejects such code at load time (fvm-gas.md §4 "module cache").
var ErrLoad = errors.New("engine: module load failed")

// Module is an instrumented, compiled actor module for one variant. It is
// immutable and shared by every instance of the code.
type Module struct {
	code    cid.Cid
	variant Variant

	compiled wazero.CompiledModule

	wasmSize, instrumentedSize int
	compileTime                time.Duration

	hasMemory   bool
	minMemory   uint64 // bytes
	minPages    uint32
	tableExport bool
	tableMin    uint32
	tableElems  uint64 // elements of every table the instance owns (memory budget)
	tableMax    uint32 // the most elements its table may grow to
	growsTables bool   // its code asks gofvm.table_growing (tables.go)

	prewarm *prewarmSlot // nil: never prewarmed (disabled, or a start function)

	// Shape problems, reported by Instantiate (fvm-abi.md §1.1,
	// fvm-abi-next.md §1.2).
	linkErr   error // an import no host module satisfies: fatal, before instantiation
	memoryErr error // no `memory` export: fatal, before instantiation
	entryErr  error // no `invoke` function (ErrNoEntryPoint) or a mistyped one: after instantiation
}

// Code is the module's code CID.
func (m *Module) Code() cid.Cid { return m.code }

// Variant is the variant the module was instrumented and compiled for.
func (m *Module) Variant() Variant { return m.variant }

// HasMemoryExport reports whether the module exports a memory named `memory`.
// Without it the FVM v3/v4 init charge is a fatal error (fvm-abi.md §5.1 step 3).
func (m *Module) HasMemoryExport() bool { return m.hasMemory }

// MinMemoryBytes is the exported `memory`'s minimum size in bytes (pages ×
// 65536), the base of the FVM v3/v4 wasm_memory_init charge; 0 if there is no such
// export.
func (m *Module) MinMemoryBytes() uint64 { return m.minMemory }

// TableExport returns the minimum element count of a table exported under
// exactly the name `table` (fvm-gas.md §2.2 wasm_table_init). The builtin
// actors export `__indirect_function_table` instead, so ok is false for them.
func (m *Module) TableExport() (minElements uint32, ok bool) {
	return m.tableMin, m.tableExport
}

// WasmSize is the size of the original module in bytes.
func (m *Module) WasmSize() int { return m.wasmSize }

// InstrumentedSize is the size of the instrumented module in bytes.
func (m *Module) InstrumentedSize() int { return m.instrumentedSize }

// CompileTime is how long instrumenting and compiling took in this process
// (diagnostic only; near zero when served from the disk cache).
func (m *Module) CompileTime() time.Duration { return m.compileTime }

type moduleKey struct {
	code    cid.Cid
	variant Variant
}

// loadEntry is one cache slot; done closes when m/err are set.
type loadEntry struct {
	done chan struct{}
	m    *Module
	err  error
}

// Lookup returns the module already loaded for (code, v), if any.
func (e *Engine) Lookup(code cid.Cid, v Variant) (*Module, bool) {
	e.mu.Lock()
	ent, ok := e.modules[moduleKey{code, v}]
	e.mu.Unlock()
	if !ok {
		return nil, false
	}
	select {
	case <-ent.done:
		return ent.m, ent.m != nil
	default:
		return nil, false
	}
}

// Modules lists the loaded modules ordered by variant then code CID (for the
// CLI's listing).
func (e *Engine) Modules() []*Module {
	e.mu.Lock()
	var out []*Module
	for _, ent := range e.modules {
		select {
		case <-ent.done:
			if ent.m != nil {
				out = append(out, ent.m)
			}
		default:
		}
	}
	e.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].variant != out[j].variant {
			return out[i].variant < out[j].variant
		}
		return out[i].code.KeyString() < out[j].code.KeyString()
	})
	return out
}

// Load instruments (GasExport form, NaN canonicalisation on) and compiles
// wasm for variant v once per process; later calls with the same (code, v)
// return the same *Module without looking at wasm. Concurrent calls for the
// same key wait for the first one. A module that fails instrumentation or
// compilation returns an error wrapping ErrLoad, and the failure is cached
// too (the code cannot change under its CID).
func (e *Engine) Load(ctx context.Context, code cid.Cid, wasm []byte, v Variant) (*Module, error) {
	if !v.valid() {
		return nil, fmt.Errorf("engine: unknown variant %d", v)
	}
	if e.isClosed() {
		return nil, fmt.Errorf("%w: engine closed", ErrClosed)
	}
	key := moduleKey{code, v}
	for {
		e.mu.Lock()
		ent, ok := e.modules[key]
		if !ok {
			ent = &loadEntry{done: make(chan struct{})}
			e.modules[key] = ent
			e.mu.Unlock()
			ent.m, ent.err = e.load(ctx, code, wasm, v)
			if ent.err != nil && ctx.Err() != nil {
				// A cancelled load says nothing about the code: forget
				// it so that a later Load retries.
				e.mu.Lock()
				delete(e.modules, key)
				e.mu.Unlock()
			}
			close(ent.done)
			return ent.m, ent.err
		}
		e.mu.Unlock()
		select {
		case <-ent.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if ent.err != nil && isContextErr(ent.err) && ctx.Err() == nil {
			continue // the loader's context ended, not ours: load again
		}
		return ent.m, ent.err
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (e *Engine) load(ctx context.Context, code cid.Cid, wasm []byte, v Variant) (*Module, error) {
	start := time.Now()
	inst, err := e.instrumented(code, wasm, v)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: instrument: %w", ErrLoad, v, code, err)
	}
	info, err := readFacts(inst, v)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrLoad, v, code, err)
	}
	if v.memoryLimits() && info.memoryMin > MaxInstanceMemoryBytes {
		// wasmtime checks a module against its pooling allocator when it
		// compiles it (wasmtime 36 Module::from_parts_raw → validate_module),
		// so in 3.14.1 and 4.8.2 such code fails to load: a fatal error, not
		// the instantiation failure of fvm-abi.md §5.1 step 3.
		return nil, fmt.Errorf("%w: %s %s: minimum memory %d bytes is over the %d-byte instance limit",
			ErrLoad, v, code, info.memoryMin, MaxInstanceMemoryBytes)
	}
	if v.memoryLimits() && info.largestTable > MaxTableElements {
		return nil, fmt.Errorf("%w: %s %s: a table of %d elements is over the %d-element pooled table",
			ErrLoad, v, code, info.largestTable, MaxTableElements)
	}
	// wazero compiles a module's functions on several goroutines when asked.
	cctx := experimental.WithCompilationWorkers(ctx, runtime.GOMAXPROCS(0))
	compiled, err := e.runtimes[v.index()].CompileModule(cctx, inst)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: compile: %w", ErrLoad, v, code, err)
	}
	m := &Module{
		code:             code,
		variant:          v,
		compiled:         compiled,
		wasmSize:         len(wasm),
		instrumentedSize: len(inst),
		tableExport:      info.tableExport,
		tableMin:         info.tableExportMin,
		tableElems:       info.tableElems,
		tableMax:         info.tableMax,
		growsTables:      info.growsTables,
	}
	if mem, ok := compiled.ExportedMemories()["memory"]; ok {
		m.hasMemory = true
		m.minPages = mem.Min()
		m.minMemory = uint64(mem.Min()) * 65536
	}
	m.memoryErr, m.entryErr = checkExports(compiled)
	m.linkErr = e.checkImports(compiled, info, v)
	if e.cfg.prewarm > 0 && !info.hasStart && m.linkErr == nil && m.memoryErr == nil && m.entryErr == nil {
		m.prewarm = &prewarmSlot{ready: make(chan *Instance, e.cfg.prewarm)}
	}
	m.compileTime = time.Since(start)
	return m, nil
}

// checkExports enforces fvm-abi.md §1.1: `memory` must be a memory and
// `invoke` a function (i32)->i32. A module with no function named `invoke`
// gets ErrNoEntryPoint, which FVM v4.1+ turns into an exit rather than a
// fatal error (fvm-abi-next.md §1.2); a mistyped `invoke` is fatal in every
// version (its call fails without a trap).
func checkExports(c wazero.CompiledModule) (memoryErr, entryErr error) {
	if _, ok := c.ExportedMemories()["memory"]; !ok {
		memoryErr = fmt.Errorf("%w: the module exports no memory named memory", ErrMissingExport)
	}
	f, ok := c.ExportedFunctions()["invoke"]
	if !ok {
		return memoryErr, ErrNoEntryPoint
	}
	p, r := f.ParamTypes(), f.ResultTypes()
	if len(p) != 1 || p[0] != api.ValueTypeI32 || len(r) != 1 || r[0] != api.ValueTypeI32 {
		entryErr = fmt.Errorf("%w: invoke has type %v -> %v, want (i32) -> i32", ErrMissingExport, typeNames(p), typeNames(r))
	}
	return memoryErr, entryErr
}

// checkImports resolves every import against the host modules registered in
// the variant's runtime, as the reference's linker does at instantiation. A
// failure is a link error, which is fatal (fvm-abi.md §1.1).
func (e *Engine) checkImports(c wazero.CompiledModule, info moduleFacts, v Variant) error {
	if info.nonFuncImport != "" {
		return fmt.Errorf("%w: import %s is not a function", ErrLink, info.nonFuncImport)
	}
	r := e.runtimes[v.index()]
	for _, imp := range c.ImportedFunctions() {
		modName, name, _ := imp.Import()
		host := r.Module(modName)
		if host == nil {
			return fmt.Errorf("%w: unknown import %s.%s", ErrLink, modName, name)
		}
		def, ok := host.ExportedFunctionDefinitions()[name]
		if !ok {
			return fmt.Errorf("%w: unknown import %s.%s", ErrLink, modName, name)
		}
		if !slices.Equal(def.ParamTypes(), imp.ParamTypes()) || !slices.Equal(def.ResultTypes(), imp.ResultTypes()) {
			return fmt.Errorf("%w: import %s.%s has type %v -> %v, host has %v -> %v", ErrLink, modName, name,
				typeNames(imp.ParamTypes()), typeNames(imp.ResultTypes()),
				typeNames(def.ParamTypes()), typeNames(def.ResultTypes()))
		}
	}
	return nil
}

func typeNames(ts []api.ValueType) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = api.ValueTypeName(t)
	}
	return out
}

// Code is one module to load: its code CID and raw wasm.
type Code struct {
	CID  cid.Cid
	Wasm []byte
}

// LoadAll loads every code for v, on as many goroutines as there are
// processors (a bundle preload: instrumentation and wazero's validation are
// per-module and serial, so modules load faster side by side). The modules
// come back in the order of codes; the first error (by position) is
// returned.
func (e *Engine) LoadAll(ctx context.Context, codes []Code, v Variant) ([]*Module, error) {
	mods := make([]*Module, len(codes))
	errs := make([]error, len(codes))
	next := make(chan int)
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(codes))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				mods[i], errs[i] = e.Load(ctx, codes[i].CID, codes[i].Wasm, v)
			}
		}()
	}
	for i := range codes {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return mods, err
		}
	}
	return mods, nil
}
