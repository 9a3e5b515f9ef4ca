package kernel

import (
	"context"
	"errors"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	"github.com/tetratelabs/wazero"

	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/rules"
	"github.com/gofvm/gofvm/syscalls"
)

// wasmEngine runs actors in wazero through package kernel/engine, with the
// syscalls of package syscalls bound as host modules.
type wasmEngine struct {
	e *engine.Engine
}

// NewWasmEngine builds the production engine: one wazero runtime per
// network-version variant, each with that version's syscall ABI. Close it
// with CloseEngine when done.
func NewWasmEngine(ctx context.Context, opts ...engine.Option) (Engine, error) {
	opts = append(opts, engine.WithHostModules(func(ctx context.Context, r wazero.Runtime, v engine.Variant) error {
		return syscalls.RegisterABI(ctx, r, syscalls.ABI(v.Line()))
	}))
	e, err := engine.New(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return &wasmEngine{e: e}, nil
}

// CloseEngine releases an engine made by NewWasmEngine.
func CloseEngine(ctx context.Context, e Engine) error {
	if w, ok := e.(*wasmEngine); ok {
		return w.e.Close(ctx)
	}
	return nil
}

type wasmModule struct{ m *engine.Module }

func (m wasmModule) MinMemoryBytes() (uint64, bool) {
	return m.m.MinMemoryBytes(), m.m.HasMemoryExport()
}

func (m wasmModule) TableExport() (uint64, bool) {
	n, ok := m.m.TableExport()
	return uint64(n), ok
}

func (w *wasmEngine) Load(ctx context.Context, code cid.Cid, wasm []byte, nv network.Version) (Module, error) {
	r, err := rules.For(nv)
	if err != nil {
		return nil, err
	}
	v, err := engine.VariantOf(r.Engine)
	if err != nil {
		return nil, err
	}
	m, err := w.e.Load(ctx, code, wasm, v)
	if err != nil {
		return nil, err
	}
	return wasmModule{m}, nil
}

func (w *wasmEngine) Instantiate(ctx context.Context, m Module, stack *CallStackMemory) (Instance, error) {
	mod := m.(wasmModule).m
	b, _ := stack.Budget.(*engine.MemoryBudget)
	if b == nil {
		b = engine.NewMemoryBudget(mod.Variant())
		stack.Budget = b
	}
	in, err := w.e.Instantiate(ctx, mod, b)
	if err != nil {
		return nil, &InstantiationError{Trap: !engine.IsFatalInstantiation(err),
			NoEntryPoint: errors.Is(err, engine.ErrNoEntryPoint), Err: err}
	}
	return wasmInstance{in}, nil
}

type wasmInstance struct{ *engine.Instance }

func (i wasmInstance) Close(ctx context.Context) error {
	i.Instance.Close(ctx)
	return nil
}

func (w *wasmEngine) Run(ctx context.Context, k *invocationKernel, inst Instance, params uint32) Outcome {
	in := inst.(wasmInstance).Instance
	if in.GasGlobal() == nil {
		return Outcome{Kind: Fatal, Err: errors.New("instance has no gas counter")}
	}
	o := syscalls.Invoke(ctx, k, in.Memory(), in.GasGlobal(), in.Invoke, params)
	out := Outcome{BlockID: o.ReturnID, Code: uint32(o.ExitCode), Message: o.Message, Err: o.Err, LastError: o.LastError}
	switch o.Kind {
	case syscalls.Returned:
		out.Kind = Returned
	case syscalls.Aborted:
		out.Kind = Aborted
	case syscalls.Trapped:
		out.Kind = Trapped
	case syscalls.OutOfGas:
		out.Kind = OutOfGas
	default:
		out.Kind = Fatal
	}
	return out
}
