package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/filecoin-project/go-state-types/abi"
	fbig "github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/gofvm/gofvm/kernel"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/kernel/engine"
	gofvmrules "github.com/gofvm/gofvm/rules"
	"github.com/gofvm/gofvm/syscalls"
	"github.com/gofvm/gofvm/tracing"
	"github.com/gofvm/gofvm/vectors"
)

// A Recording is every actor invocation one vector's message ran under
// gofvm, in the order they started.
type Recording struct {
	Vector      string
	Invocations []*Invocation
	// The receipt gofvm produced, and whether it is the vector's (it is
	// not for DisputeWindowedPoSt/Ok, whose proof the runner trusts).
	ExitCode int64
	GasUsed  int64
	Matches  bool
}

// An Invocation is one actor call as the wasm code saw it: the code, the
// gas counter and params invoke started with, every host call with its
// effect on the instance, and how invoke ended. Replaying it needs nothing
// else: the host calls' effects are played back, so the wasm code runs the
// same path and must leave the same gas counter at every call.
type Invocation struct {
	Code     cid.Cid
	Wasm     []byte // the raw actor module
	Variant  engine.Variant
	Params   uint32
	GasStart int64 // the counter invoke began with (milligas)
	Calls    []HostCall

	// The end: Returned with Result, or not (a trap or an abort, which in
	// this recording is always the last host call's).
	Returned bool
	Result   uint32
	GasEnd   int64
}

// A HostCall is one call from the wasm code into a host function.
type HostCall struct {
	Module, Name string
	Args         []uint64
	GasIn        int64   // the counter when the wasm code made the call
	Writes       []Write // what the call wrote into the caller's memory
	Result       uint32
	GasOut       int64 // the counter the call left
	Aborted      bool  // it did not return (exit, abort, out of gas, fatal)
}

// A Write is a run of bytes a host call stored at Offset.
type Write struct {
	Offset uint32
	Data   []byte
}

func (c *HostCall) name() string { return c.Module + "." + c.Name }

// recorder is a wazero function listener on the syscall host functions and
// on every actor's invoke export: the only window onto a host call's
// arguments, its writes and the gas counter around it that needs no hook in
// gofvm itself.
type recorder struct {
	stack []*Invocation
	all   []*Invocation // in the order they began
	code  cid.Cid       // the actor about to run (tracing's InvokeActor)
	err   error
}

var hostModules = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range syscalls.HostModules {
		m[n] = true
	}
	return m
}()

func (r *recorder) NewFunctionListener(def api.FunctionDefinition) experimental.FunctionListener {
	if def.GoFunction() != nil {
		if hostModules[def.ModuleName()] {
			return hostListener{r}
		}
		return nil // gofvm.table_growing: the engine's own, not a syscall
	}
	if slices.Contains(def.ExportNames(), "invoke") {
		return invokeListener{r}
	}
	return nil
}

func (r *recorder) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func gasOf(mod api.Module) int64 {
	g := mod.ExportedGlobal("gas_counter")
	if g == nil {
		return 0
	}
	return int64(g.Get())
}

type invokeListener struct{ r *recorder }

func (l invokeListener) Before(_ context.Context, mod api.Module, _ api.FunctionDefinition, params []uint64, _ experimental.StackIterator) {
	inv := &Invocation{Code: l.r.code, Params: uint32(params[0]), GasStart: gasOf(mod)}
	l.r.stack = append(l.r.stack, inv)
	l.r.all = append(l.r.all, inv)
}

func (l invokeListener) After(_ context.Context, mod api.Module, _ api.FunctionDefinition, results []uint64) {
	l.r.end(mod, true, uint32(results[0]))
}

func (l invokeListener) Abort(_ context.Context, mod api.Module, _ api.FunctionDefinition, _ error) {
	l.r.end(mod, false, 0)
}

func (r *recorder) end(mod api.Module, returned bool, result uint32) {
	if len(r.stack) == 0 {
		r.fail(errors.New("invoke ended that never began"))
		return
	}
	inv := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	inv.Returned, inv.Result, inv.GasEnd = returned, result, gasOf(mod)
}

type hostListener struct{ r *recorder }

func (l hostListener) Before(_ context.Context, mod api.Module, def api.FunctionDefinition, params []uint64, _ experimental.StackIterator) {
	r := l.r
	if len(r.stack) == 0 {
		r.fail(fmt.Errorf("host call %s outside invoke", def.DebugName()))
		return
	}
	inv := r.stack[len(r.stack)-1]
	inv.Calls = append(inv.Calls, HostCall{
		Module: def.ModuleName(), Name: def.ExportNames()[0],
		Args: args(def.ParamTypes(), params, nil), GasIn: gasOf(mod), Aborted: true,
	})
	// The memory before the call, kept in the call until After diffs it
	// (a send's nested invocations run in between).
	mem, _ := mod.Memory().Read(0, mod.Memory().Size())
	inv.Calls[len(inv.Calls)-1].Writes = []Write{{Data: bytes.Clone(mem)}} // replaced by the diff in After
}

func (l hostListener) After(_ context.Context, mod api.Module, _ api.FunctionDefinition, results []uint64) {
	r := l.r
	inv := r.stack[len(r.stack)-1]
	c := &inv.Calls[len(inv.Calls)-1]
	before := c.Writes[0].Data
	mem, _ := mod.Memory().Read(0, mod.Memory().Size())
	if len(mem) != len(before) {
		r.fail(fmt.Errorf("host call %s changed the memory size", c.name()))
	}
	c.Writes = diffWrites(before, mem)
	c.Result, c.GasOut, c.Aborted = uint32(results[0]), gasOf(mod), false
}

func (l hostListener) Abort(_ context.Context, mod api.Module, _ api.FunctionDefinition, _ error) {
	r := l.r
	inv := r.stack[len(r.stack)-1]
	c := &inv.Calls[len(inv.Calls)-1]
	c.Writes, c.GasOut = nil, gasOf(mod)
}

// diffWrites lists the runs where after differs from before; runs closer
// than 16 bytes are merged.
func diffWrites(before, after []byte) []Write {
	var out []Write
	const chunk = 256
	n := min(len(before), len(after))
	for base := 0; base < n; base += chunk {
		end := min(base+chunk, n)
		if bytes.Equal(before[base:end], after[base:end]) {
			continue
		}
		for i := base; i < end; i++ {
			if before[i] == after[i] {
				continue
			}
			if k := len(out) - 1; k >= 0 && int(out[k].Offset)+len(out[k].Data)+16 >= i {
				last := &out[k]
				last.Data = append(last.Data, after[int(last.Offset)+len(last.Data):i+1]...)
			} else {
				out = append(out, Write{Offset: uint32(i), Data: []byte{after[i]}})
			}
		}
	}
	return out
}

// Record applies a vector's message under gofvm (compiler, compat
// reachability, every proof trusted as the vector runner does) and returns
// what every invocation did, with the receipt check the runner makes.
func Record(ctx context.Context, path string, bundles *vectors.Bundles) (*Recording, error) {
	v, err := vectors.LoadFile(path)
	if err != nil {
		return nil, err
	}
	rec := &recorder{}
	lctx := experimental.WithFunctionListenerFactory(ctx, rec)
	eng, err := kernel.NewWasmEngine(lctx, engine.WithPrewarm(0))
	if err != nil {
		return nil, err
	}
	defer kernel.CloseEngine(ctx, eng)
	run := v.NewRun(bundles.Blockstore(), vectors.ReachabilityCompat, vectors.EngineCompiler)
	hooks := &tracing.Hooks{OnInvokeActor: func(e tracing.InvokeActor) { rec.code = e.State.Code }}
	nv := network.Version(run.NetworkVersion)
	ret, _, err := kernel.ApplyOne(lctx, run.Blockstore, run.PreRoot, nv, run.MessageBytes, run.ChainLength,
		kernel.WithEpoch(abi.ChainEpoch(run.Epoch)),
		kernel.WithTimestamp(run.Timestamp),
		kernel.WithBaseFee(fbig.NewFromGo(run.BaseFee)),
		kernel.WithCirculatingSupply(fbig.NewFromGo(new(big.Int).Set(run.CircSupply))),
		kernel.WithChainID(run.ChainID),
		kernel.WithExterns(externs{run.Randomness}),
		kernel.WithProofVerifier(fvmcrypto.TrustAllProofsForConformanceVectorsOnly()),
		kernel.WithEngine(eng),
		kernel.WithReachability(kernel.ReachabilityCompat),
		kernel.WithHooks(hooks))
	if err != nil {
		return nil, fmt.Errorf("%s: apply: %w", path, err)
	}
	if rec.err != nil {
		return nil, fmt.Errorf("%s: recording: %w", path, rec.err)
	}
	if len(rec.stack) != 0 {
		return nil, fmt.Errorf("%s: %d invocations never ended", path, len(rec.stack))
	}
	variant, err := variantOf(nv)
	if err != nil {
		return nil, err
	}
	out := &Recording{Vector: path, ExitCode: int64(ret.Receipt.ExitCode), GasUsed: ret.Receipt.GasUsed,
		Matches: int64(ret.Receipt.ExitCode) == v.Receipt.ExitCode && ret.Receipt.GasUsed == v.Receipt.GasUsed}
	for _, inv := range rec.all {
		blk, err := run.Blockstore.Get(ctx, inv.Code)
		if err != nil {
			return nil, fmt.Errorf("%s: code %s: %w", path, inv.Code, err)
		}
		inv.Wasm, inv.Variant = blk.RawData(), variant
		out.Invocations = append(out.Invocations, inv)
	}
	return out, nil
}

func variantOf(nv network.Version) (engine.Variant, error) {
	r, err := gofvmrules.For(nv)
	if err != nil {
		return 0, err
	}
	return engine.VariantOf(r.Engine)
}

// externs serves the vector's recorded randomness, as the runner's do.
type externs struct{ r *vectors.Randomness }

func (e externs) ChainDigest(ep abi.ChainEpoch) ([32]byte, error)  { return e.r.ChainDigest(ep) }
func (e externs) BeaconDigest(ep abi.ChainEpoch) ([32]byte, error) { return e.r.BeaconDigest(ep) }
func (externs) TipsetCid(abi.ChainEpoch) (cid.Cid, error) {
	return cid.Undef, errors.New("test vectors carry no tipset CIDs")
}
func (externs) VerifyConsensusFault(_, _, _ []byte) (*fvmcrypto.Fault, error) { return nil, nil }

// args copies a call's arguments into buf, i32s without the upper half of
// their stack slot (which the engine leaves undefined).
func args(types []api.ValueType, stack []uint64, buf []uint64) []uint64 {
	buf = buf[:0]
	for i, t := range types {
		v := stack[i]
		if t == api.ValueTypeI32 || t == api.ValueTypeF32 {
			v = uint64(uint32(v))
		}
		buf = append(buf, v)
	}
	return buf
}
