package engine

import (
	"context"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/engine/instrument"
)

// Table growth in FVM v3 and v4 (fvm-gas.md §4, fvm-gas-next.md §6.2): the
// reference's memory limiter counts 8 bytes per table element against the
// call stack's 2 GiB, and a growth past the table's maximum (at most the
// 20,000 elements of a pooled table) or past the budget makes table.grow
// answer −1. wazero has no hook for it, so the instrumenter puts a call to
// gofvm.table_growing in front of every table.grow (instrument.HookTableGrow)
// and this host function decides, for the instance the call runs in.

// instanceKey carries the running *Instance in the context of a call into
// a module that grows tables.
type instanceKey struct{}

// withInstance returns ctx carrying in, for modules whose code asks the
// host before growing a table; other contexts are left alone (no
// allocation on the common path).
func withInstance(ctx context.Context, in *Instance) context.Context {
	if !in.module.growsTables {
		return ctx
	}
	return context.WithValue(ctx, instanceKey{}, in)
}

// tableGrowing answers gofvm.table_growing(size, delta): 1 when the growth
// fits the table's maximum and the memory budget, which then counts it; 0
// otherwise. A growth by 0 always succeeds and counts nothing, as the
// reference does not consult its limiter for it.
func tableGrowing(ctx context.Context, _ api.Module, stack []uint64) {
	size, delta := uint32(stack[0]), uint32(stack[1])
	stack[0] = 0
	in, _ := ctx.Value(instanceKey{}).(*Instance)
	switch {
	case in == nil: // not called through Invoke or Instantiate: refuse
	case delta == 0:
		stack[0] = 1
	case uint64(size)+uint64(delta) > uint64(in.module.tableMax):
	case in.budget.grow(uint64(delta) * TableElementBytes):
		stack[0] = 1
	}
}

// registerTableHook adds the gofvm host module to the runtime of a variant
// that limits memory.
func registerTableHook(ctx context.Context, r wazero.Runtime) error {
	i32 := api.ValueTypeI32
	_, err := r.NewHostModuleBuilder(instrument.HookModule).NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(tableGrowing), []api.ValueType{i32, i32}, []api.ValueType{i32}).
		Export(instrument.TableHookName).Instantiate(ctx)
	return err
}
