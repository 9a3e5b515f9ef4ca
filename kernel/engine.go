package kernel

import (
	"context"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	"github.com/tetratelabs/wazero/api"
)

// Engine loads and instantiates actor code. It is the seam to package
// kernel/engine (whose Engine is adapted to this interface in
// engine_adapter.go) and lets tests run trivial modules.
type Engine interface {
	// Load compiles (once per code CID) the wasm of an actor for nv.
	Load(ctx context.Context, code cid.Cid, wasm []byte, nv network.Version) (Module, error)
	// Instantiate creates a fresh instance whose memory counts against budget
	// (v3: 512 MiB per instance, 2 GiB per call stack).
	Instantiate(ctx context.Context, m Module, stack *CallStackMemory) (Instance, error)
	// Run calls invoke(params) with the syscalls bound to k and classifies
	// the outcome (the syscalls layer's Invoke).
	Run(ctx context.Context, k *invocationKernel, inst Instance, params uint32) Outcome
}

// Module is a compiled actor.
type Module interface {
	// MinMemoryBytes is the exported memory's minimum size (v3 wasm_memory_init).
	MinMemoryBytes() (uint64, bool)
	// TableExport is the minimum size of an export named exactly "table", if any.
	TableExport() (uint64, bool)
}

// Instance is one instantiation of a module.
type Instance interface {
	Memory() api.Memory
	GasGlobal() api.MutableGlobal
	Close(ctx context.Context) error
}

// OutcomeKind classifies how invoke ended (fvm-abi.md §5.2).
type OutcomeKind int

const (
	// Returned: invoke returned a block id (0 = none).
	Returned OutcomeKind = iota
	// Aborted: vm.abort / vm.exit with an exit code (already mapped, e.g. <16 → 9) and block.
	Aborted
	// Trapped: a wasm trap (exit 4).
	Trapped
	// OutOfGas: gas ran out.
	OutOfGas
	// Fatal: the whole message fails.
	Fatal
)

// Outcome is the result of one invoke.
type Outcome struct {
	Kind    OutcomeKind
	BlockID uint32
	Code    uint32
	Message string
	Err     error // Fatal cause
	// LastError is the last syscall error the actor saw (backtrace cause,
	// diagnostics only).
	LastError error
}

// CallStackMemory is the memory account of one message's call stack (v3:
// 2 GiB); an Engine keeps its own budget in it, created on first use.
type CallStackMemory struct {
	Budget any
}
