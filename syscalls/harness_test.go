package syscalls

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/kernel/gas"
)

var (
	//go:embed testdata/abi_v2.wasm
	abiV2Wasm []byte
	//go:embed testdata/abi_v3.wasm
	abiV3Wasm []byte
	//go:embed testdata/abi_v4.wasm
	abiV4Wasm []byte
	//go:embed testdata/link_unknown.wasm
	linkUnknownWasm []byte
	//go:embed testdata/link_badsig.wasm
	linkBadSigWasm []byte
	//go:embed testdata/v3_on_v2.wasm
	v3OnV2Wasm []byte
	//go:embed testdata/link_verify_seal.wasm
	linkVerifySealWasm []byte
	//go:embed testdata/link_upgrade.wasm
	linkUpgradeWasm []byte
)

// engines are both wazero engines; every ABI test runs on each.
var engines = []struct {
	name string
	cfg  func() wazero.RuntimeConfig
}{
	{"interpreter", wazero.NewRuntimeConfigInterpreter},
	{"compiler", wazero.NewRuntimeConfigCompiler},
}

// Test memory map (the drivers declare one 64 KiB page).
const (
	memSize = 65536
	R       = 0x100  // ret_ptr
	A       = 0x1000 // first input
	B       = 0x2000 // second input
	C       = 0x2800 // third input
	O       = 0x3000 // output buffer
	D       = 0x4000 // fourth input
	fill    = 0xAA   // prefilled around R and O, so "nothing written" is visible
)

const testLimit = gas.Gas(1_000_000_000_000) // 1e9 gas

type compiled struct {
	rt wazero.Runtime
	cm wazero.CompiledModule
}

var (
	runtimesMu sync.Mutex
	runtimes   = map[string]*compiled{}
)

// driver returns a runtime with Register(nv) and the ABI driver compiled in
// it, shared by the tests of one engine and network version.
func driver(t testing.TB, engine int, nv network.Version) *compiled {
	runtimesMu.Lock()
	defer runtimesMu.Unlock()
	key := fmt.Sprintf("%s/%d", engines[engine].name, nv)
	if c := runtimes[key]; c != nil {
		return c
	}
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, engines[engine].cfg())
	if err := Register(ctx, rt, nv); err != nil {
		t.Fatal(err)
	}
	abi, err := ABIFor(nv)
	if err != nil {
		t.Fatal(err)
	}
	code := map[ABI][]byte{ABIv2: abiV2Wasm, ABIv3: abiV3Wasm, ABIv4: abiV4Wasm}[abi]
	cm, err := rt.CompileModule(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	c := &compiled{rt: rt, cm: cm}
	runtimes[key] = c
	return c
}

type harness struct {
	t   testing.TB
	ctx context.Context
	mod api.Module
	mem api.Memory
	g   api.MutableGlobal
	k   *fakeKernel
}

func newHarness(t testing.TB, engine int, nv network.Version) *harness {
	c := driver(t, engine, nv)
	ctx := context.Background()
	mod, err := c.rt.InstantiateModule(ctx, c.cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mod.Close(ctx) })
	h := &harness{t: t, ctx: ctx, mod: mod, mem: mod.Memory(),
		g: mod.ExportedGlobal("gas_counter").(api.MutableGlobal), k: newFake(nv, testLimit)}
	h.mem.Write(R-16, bytes.Repeat([]byte{fill}, 256))
	h.mem.Write(O-16, bytes.Repeat([]byte{fill}, 256))
	return h
}

// calls runs several exported driver functions in one Invoke, in order,
// stopping at the first that ends the invocation.
func (h *harness) calls(steps ...[]any) Outcome {
	h.t.Helper()
	return Invoke(h.ctx, h.k, h.mem, h.g, func(ctx context.Context, _ uint32) (uint32, error) {
		for _, s := range steps {
			args := make([]uint64, len(s)-1)
			for i, a := range s[1:] {
				args[i] = a.(uint64)
			}
			if _, err := h.mod.ExportedFunction(s[0].(string)).Call(ctx, args...); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}, 0)
}

// call runs one exported driver function inside Invoke and returns its i32
// result (the error number) and the outcome.
func (h *harness) call(fn string, args ...uint64) (uint32, Outcome) {
	h.t.Helper()
	f := h.mod.ExportedFunction(fn)
	if f == nil {
		h.t.Fatalf("driver has no export %q", fn)
	}
	var r uint32
	out := Invoke(h.ctx, h.k, h.mem, h.g, func(ctx context.Context, _ uint32) (uint32, error) {
		res, err := f.Call(ctx, args...)
		if err != nil {
			return 0, err
		}
		if len(res) > 0 {
			r = uint32(res[0])
		}
		return 0, nil
	}, 0)
	return r, out
}

func (h *harness) write(off uint32, b []byte) {
	if !h.mem.Write(off, b) {
		h.t.Fatalf("write %d bytes at %#x out of range", len(b), off)
	}
}

func (h *harness) read(off, n uint32) []byte {
	b, ok := h.mem.Read(off, n)
	if !ok {
		h.t.Fatalf("read %d bytes at %#x out of range", n, off)
	}
	return append([]byte(nil), b...)
}

func unhex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func forEngines(t *testing.T, f func(t *testing.T, engine int)) {
	for i, e := range engines {
		t.Run(e.name, func(t *testing.T) { f(t, i) })
	}
}
