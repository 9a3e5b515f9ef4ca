package kernel

import (
	"context"
	"errors"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/engine"
)

// noEntryEngine is the Go test engine with one code that, like a module
// exporting no `invoke` function, fails to instantiate with
// InstantiationError.NoEntryPoint.
type noEntryEngine struct {
	*goEngine
	missing cid.Cid
}

type noEntryModule struct{ goModule }

func (e noEntryEngine) Load(ctx context.Context, code cid.Cid, wasm []byte, nv network.Version) (Module, error) {
	m, err := e.goEngine.Load(ctx, code, wasm, nv)
	if err == nil && code == e.missing {
		return noEntryModule{m.(goModule)}, nil
	}
	return m, err
}

func (e noEntryEngine) Instantiate(ctx context.Context, m Module, s *CallStackMemory) (Instance, error) {
	if _, ok := m.(noEntryModule); ok {
		return nil, &InstantiationError{NoEntryPoint: true, Err: errors.New("no invoke export")}
	}
	return e.goEngine.Instantiate(ctx, m, s)
}

// fvm-abi-next.md §1.2 and §14 scenario 32: calling code without an
// `invoke` function is fatal up to FVM 4.0 (exit 10, all gas used), and
// from 4.1 (Rules.MissingEntryPointExit, nv21+) the callee's exit
// SYS_INVALID_RECEIVER (5) with no data. Machines for nv21+ are not built
// yet, so the second case runs nv20 with the rule switched on.
func TestMissingEntryPoint(t *testing.T) {
	for _, exitRule := range []bool{false, true} {
		f := newFixture(t, network.Version20)
		sender := secpAddr(t, 1)
		f.addAccount(sender, 1_000_000_000_000_000)
		target := f.addActor("no-invoke", 0, func(*invocationKernel, uint32) Outcome {
			t.Error("code without an entry point ran")
			return Outcome{Kind: Returned}
		})
		code := f.manifest[len(f.manifest)-1].(*manifestEntryT).code
		m := f.machine(WithEngine(noEntryEngine{f.engine, code}))
		if exitRule {
			r := *m.rules
			r.MissingEntryPointExit = true
			m.rules = &r
		}
		msg := baseMsg(sender, idAddr(target))
		msg.Method = 2
		msg.GasLimit = 100_000_000
		msg.GasFeeCap = big.NewInt(1)
		ret := apply(t, m, msg)
		switch {
		case exitRule && (ret.Receipt.ExitCode != exitcode.SysErrInvalidReceiver || len(ret.Receipt.Return) != 0):
			t.Errorf("rule on: exit %d return %x, want 5 and no data (%s)", ret.Receipt.ExitCode, ret.Receipt.Return, ret.FailureInfo)
		case !exitRule && (ret.Receipt.ExitCode != exitcode.SysErrFatal || ret.Receipt.GasUsed != msg.GasLimit):
			t.Errorf("rule off: exit %d gas %d, want fatal (10, all %d gas) (%s)", ret.Receipt.ExitCode, ret.Receipt.GasUsed, msg.GasLimit, ret.FailureInfo)
		}
	}
}

// The wasm engine reports a module without `invoke` as NoEntryPoint.
func TestWasmEngineNoEntryPoint(t *testing.T) {
	ctx := context.Background()
	e, err := NewWasmEngine(ctx, engine.WithInterpreter())
	if err != nil {
		t.Fatal(err)
	}
	defer CloseEngine(ctx, e)
	wasm := []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type 0: () -> ()
		0x03, 0x02, 0x01, 0x00, // one function of type 0
		0x05, 0x03, 0x01, 0x00, 0x01, // one memory of 1 page
		0x07, 0x0a, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, // export "memory"
		0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b} // an empty body
	mod, err := e.Load(ctx, codeCID(t, "no-invoke"), wasm, network.Version20)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Instantiate(ctx, mod, &CallStackMemory{})
	var ie *InstantiationError
	if !errors.As(err, &ie) || !ie.NoEntryPoint || ie.Trap {
		t.Errorf("Instantiate: %v (%+v), want NoEntryPoint", err, ie)
	}
}
