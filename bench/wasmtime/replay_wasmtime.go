package main

import (
	"errors"
	"fmt"

	"github.com/bytecodealliance/wasmtime-go/v35"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/kernel/engine/instrument"
	"github.com/gofvm/gofvm/syscalls"
)

// wasmtimeSide runs the reference form of the same modules in wasmtime
// configured as ref-fvm configures it, with one linker per variant holding
// host functions that play recordings back. As in ref-fvm, every
// instantiation gets a new store with its own gas global, defined in the
// linker as gas.gas_counter before the instance is made.
type wasmtimeSide struct {
	eng     *wasmtime.Engine
	linkers map[engine.Variant]*wasmtime.Linker
	cur     cursor
	// live state of the current call, read by the host functions
	store *wasmtime.Store
	gas   *wasmtime.Global
	mem   *wasmtime.Memory
}

// wtModule is a compiled reference-form module and the name of its gas
// global import (gas_counter, or gas_couner in FVM v2).
type wtModule struct {
	m       *wasmtime.Module
	gasName string
	variant engine.Variant
}

func newWasmtimeSide() (*wasmtimeSide, error) {
	s := &wasmtimeSide{eng: newRefEngine(), linkers: map[engine.Variant]*wasmtime.Linker{}}
	for v, nv := range networkOf {
		ims, err := syscalls.Imports(nv)
		if err != nil {
			continue
		}
		l := wasmtime.NewLinker(s.eng)
		l.AllowShadowing(true)
		for _, im := range ims {
			params := make([]*wasmtime.ValType, len(im.Params))
			for i, p := range im.Params {
				params[i] = valType(p)
			}
			ft := wasmtime.NewFuncType(params, []*wasmtime.ValType{wasmtime.NewValType(wasmtime.KindI32)})
			if err := l.FuncNew(im.Module, im.Name, ft, s.replayFunc(im.Module, im.Name)); err != nil {
				return nil, err
			}
		}
		if err := s.linkKernelHost(l); err != nil {
			return nil, err
		}
		s.linkers[v] = l
	}
	return s, nil
}

func (s *wasmtimeSide) close() {
	for _, l := range s.linkers {
		l.Close()
	}
	s.eng.Close()
}

func valType(t api.ValueType) *wasmtime.ValType {
	switch t {
	case api.ValueTypeI32:
		return wasmtime.NewValType(wasmtime.KindI32)
	case api.ValueTypeI64:
		return wasmtime.NewValType(wasmtime.KindI64)
	case api.ValueTypeF32:
		return wasmtime.NewValType(wasmtime.KindF32)
	}
	return wasmtime.NewValType(wasmtime.KindF64)
}

func (s *wasmtimeSide) replayFunc(module, name string) func(*wasmtime.Caller, []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
	var args []uint64
	return func(_ *wasmtime.Caller, vals []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
		args = args[:0]
		for _, v := range vals {
			if v.Kind() == wasmtime.KindI64 {
				args = append(args, uint64(v.I64()))
			} else {
				args = append(args, uint64(uint32(v.I32())))
			}
		}
		h := s.cur.call(module, name, args, s.gas.Get(s.store).I64())
		if h == nil {
			return nil, wasmtime.NewTrap(s.cur.err.Error())
		}
		if len(h.Writes) > 0 {
			mem := s.mem.UnsafeData(s.store)
			for _, w := range h.Writes {
				if int(w.Offset)+len(w.Data) > len(mem) {
					s.cur.err = fmt.Errorf("host call %s: write at %d out of bounds", h.name(), w.Offset)
					return nil, wasmtime.NewTrap(s.cur.err.Error())
				}
				copy(mem[w.Offset:], w.Data)
			}
		}
		if err := s.gas.Set(s.store, wasmtime.ValI64(h.GasOut)); err != nil {
			s.cur.err = err
			return nil, wasmtime.NewTrap(err.Error())
		}
		if h.Aborted {
			return nil, wasmtime.NewTrap(errAborted.Error())
		}
		return []wasmtime.Val{wasmtime.ValI32(int32(h.Result))}, nil
	}
}

// referenceForm is the module the reference would run: gofvm's
// instrumentation in the FVM's own form (the counter imported as a global,
// fvm-gas.md §3), no NaN canonicalisation pass (cranelift canonicalises),
// no hooks (wasmtime's pooling allocator and limiter do their work).
func referenceForm(wasm []byte, v engine.Variant) ([]byte, error) {
	iv := instrument.FVM3
	if v == engine.V2 {
		iv = instrument.FVM2
	}
	return instrument.Instrument(wasm, instrument.Options{Version: iv, Gas: instrument.GasImport})
}

func (s *wasmtimeSide) compile(wasm []byte, v engine.Variant) (*wtModule, error) {
	ref, err := referenceForm(wasm, v)
	if err != nil {
		return nil, err
	}
	m, err := wasmtime.NewModule(s.eng, ref)
	if err != nil {
		return nil, err
	}
	out := &wtModule{m: m, variant: v}
	for _, im := range m.Imports() {
		if im.Type().GlobalType() != nil {
			out.gasName = *im.Name()
		}
	}
	if out.gasName == "" {
		return nil, errors.New("reference form imports no gas counter")
	}
	return out, nil
}

// instantiate makes a store, its gas global and an instance, as ref-fvm's
// new_store and instantiate do.
func (s *wasmtimeSide) instantiate(m *wtModule, gas int64) (*wasmtime.Instance, error) {
	st := wasmtime.NewStore(s.eng)
	st.Limiter(refMaxInstanceBytes, refTableElements, 1, 1, 1)
	g, err := wasmtime.NewGlobal(st, wasmtime.NewGlobalType(wasmtime.NewValType(wasmtime.KindI64), true), wasmtime.ValI64(gas))
	if err != nil {
		st.Close()
		return nil, err
	}
	l := s.linkers[m.variant]
	if err := l.Define(st, "gas", m.gasName, g); err != nil {
		st.Close()
		return nil, err
	}
	inst, err := l.Instantiate(st, m.m)
	if err != nil {
		st.Close()
		return nil, err
	}
	s.store, s.gas = st, g
	s.mem = inst.GetExport(st, "memory").Memory()
	return inst, nil
}

func (s *wasmtimeSide) release() {
	if s.store != nil {
		s.store.Close()
		s.store, s.gas, s.mem = nil, nil, nil
	}
}

// replay runs one recorded invocation on a fresh store and instance.
func (s *wasmtimeSide) replay(m *wtModule, inv *Invocation) error {
	inst, err := s.instantiate(m, inv.GasStart)
	if err != nil {
		return err
	}
	defer s.release()
	s.cur.reset(inv)
	res, callErr := inst.GetFunc(s.store, "invoke").Call(s.store, int32(inv.Params))
	if callErr != nil && s.cur.err != nil {
		return s.cur.err
	}
	var result uint32
	if callErr == nil {
		result = uint32(res.(int32))
	}
	return s.cur.finish(callErr == nil, result, s.gas.Get(s.store).I64(), callErr)
}

// firstCall instantiates m, invokes it with no params, and ends the call at
// its first host call.
func (s *wasmtimeSide) firstCall(m *wtModule, inv *Invocation) error {
	inst, err := s.instantiate(m, inv.GasStart)
	if err != nil {
		return err
	}
	defer s.release()
	s.cur.resetAbortAny()
	_, callErr := inst.GetFunc(s.store, "invoke").Call(s.store, int32(0))
	if s.cur.err != nil {
		return s.cur.err
	}
	if s.cur.next == 0 || callErr == nil {
		return fmt.Errorf("invoke did not stop at a host call: %v", callErr)
	}
	return nil
}
