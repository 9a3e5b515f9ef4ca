package syscalls

import (
	"context"
	_ "embed"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

var (
	//go:embed testdata/echo_v2.wasm
	echoV2Wasm []byte
	//go:embed testdata/echo_v3.wasm
	echoV3Wasm []byte
)

// TestEchoActor runs a whole actor call through its own `invoke` export, as
// the kernel will: params block 1 in, a new block out, or an exit with a
// user code for an unknown method.
func TestEchoActor(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		nv     network.Version
		method uint64
		params uint32
		want   Outcome
		calls  string
		gas    int64 // syscalls × OnSyscall (the module is not instrumented)
	}{
		{"v3/echo", network.Version18, 1, 1, Outcome{Kind: Returned, ReturnID: 2},
			"MessageContext();BlockStat(1);BlockRead(1,0,5);BlockCreate(113,68656c6c6f)", 5},
		{"v3/no_params", network.Version18, 1, 0, Outcome{Kind: Returned}, "MessageContext()", 2},
		{"v3/unknown_method", network.Version18, 7, 1, Outcome{Kind: Aborted, ExitCode: 22, Message: "method not found"}, "MessageContext()", 3},
		{"v2/echo", network.Version17, 1, 1, Outcome{Kind: Returned, ReturnID: 2},
			"InvocationContext();BlockStat(1);BlockRead(1,0,5);BlockCreate(113,68656c6c6f)", 5},
		{"v2/unknown_method", network.Version17, 7, 1, Outcome{Kind: Aborted, ExitCode: 22, Message: "method not found"}, "InvocationContext()", 3},
	} {
		forEngines(t, func(t *testing.T, engine int) {
			rt := wazero.NewRuntimeWithConfig(ctx, engines[engine].cfg())
			defer rt.Close(ctx)
			if err := Register(ctx, rt, c.nv); err != nil {
				t.Fatal(err)
			}
			code := echoV3Wasm
			if c.nv == network.Version17 {
				code = echoV2Wasm
			}
			mod, err := rt.Instantiate(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			k := newFake(c.nv, testLimit)
			k.msgCtx.MethodNumber = abiMethod(c.method)
			k.invCtx.MethodNumber = abiMethod(c.method)
			k.stat, k.block, k.id = BlockStat{Codec: 0x71, Size: 5}, []byte("hello"), 2
			invoke := mod.ExportedFunction("invoke")
			out := Invoke(ctx, k, mod.Memory(), mod.ExportedGlobal("gas_counter").(api.MutableGlobal),
				func(ctx context.Context, p uint32) (uint32, error) {
					r, err := invoke.Call(ctx, uint64(p))
					if err != nil {
						return 0, err
					}
					return uint32(r[0]), nil
				}, c.params)
			if out.Kind != c.want.Kind || out.ReturnID != c.want.ReturnID || out.ExitCode != c.want.ExitCode || out.Message != c.want.Message {
				t.Fatalf("%s: got %+v, want %+v", c.name, out, c.want)
			}
			if got := strings.Join(k.calls, ";"); got != c.calls {
				t.Fatalf("%s: calls %q, want %q", c.name, got, c.calls)
			}
			if k.tracker.Used() != syscallGas.Mul(c.gas) {
				t.Fatalf("%s: used %d", c.name, k.tracker.Used())
			}
		})
	}
}

func abiMethod(m uint64) abi.MethodNum { return abi.MethodNum(m) }
