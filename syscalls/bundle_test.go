package syscalls

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/filecoin-project/go-state-types/network"
	car "github.com/ipld/go-car"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// TestMainnetBundlesLink checks every module of the real v9 and v10 mainnet
// bundles against Register: each links (CheckImports and instantiation), and
// the distinct imports number 33 (v9) and 39 (v10) (conformance.md §3.3).
// The bundles are local data, never committed: skipped when absent.
func TestMainnetBundlesLink(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		path    string
		nv      network.Version
		modules int
		imports int
	}{
		{"../.conformance/bundles/v9/builtin-actors-mainnet.car", network.Version17, 12, 33},
		{"../.conformance/bundles/v10/builtin-actors-mainnet.car", network.Version18, 16, 39},
	} {
		t.Run(c.path, func(t *testing.T) {
			f, err := os.Open(c.path)
			if errors.Is(err, os.ErrNotExist) {
				t.Skip("bundle not present")
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cr, err := car.NewCarReader(f)
			if err != nil {
				t.Fatal(err)
			}
			rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
			defer rt.Close(ctx)
			if err := Register(ctx, rt, c.nv); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			modules := 0
			for {
				blk, err := cr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(blk.RawData(), []byte("\x00asm")) {
					continue
				}
				modules++
				cm, err := rt.CompileModule(ctx, blk.RawData())
				if err != nil {
					t.Fatalf("%s: %v", blk.Cid(), err)
				}
				if err := CheckImports(cm, c.nv); err != nil {
					t.Fatalf("%s: %v", blk.Cid(), err)
				}
				for _, fn := range cm.ImportedFunctions() {
					m, n, _ := fn.Import()
					seen[m+"."+n] = true
				}
				mod, err := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName(""))
				if err != nil {
					t.Fatalf("%s: instantiate: %v", blk.Cid(), err)
				}
				runRealActor(t, rt, mod, c.nv, blk.Cid().String())
				mod.Close(ctx)
				cm.Close(ctx)
			}
			if modules != c.modules || len(seen) != c.imports {
				t.Fatalf("%d modules, %d distinct imports; want %d, %d", modules, len(seen), c.modules, c.imports)
			}
		})
	}
}

// runRealActor calls a real actor's invoke(0) with the fake kernel (zero
// contexts, no params). The actor runtime reads its context first (after
// debug.enabled, which the fake does not record) and ends with a user exit
// code; the placeholder returns 0 (conformance.md §3.3, fvm-abi.md §5.2).
// Nothing may trap, run out of gas or be fatal. The modules are not
// instrumented, so a driver instance lends its gas global.
func runRealActor(t *testing.T, rt wazero.Runtime, mod api.Module, nv network.Version, name string) {
	ctx := context.Background()
	drv := abiV3Wasm
	if nv == network.Version17 {
		drv = abiV2Wasm
	}
	gm, err := rt.InstantiateWithConfig(ctx, drv, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	defer gm.Close(ctx)
	k := newFake(nv, testLimit)
	k.cid = testCID
	invoke := mod.ExportedFunction("invoke")
	out := Invoke(ctx, k, mod.Memory(), gm.ExportedGlobal("gas_counter").(api.MutableGlobal),
		func(ctx context.Context, p uint32) (uint32, error) {
			r, err := invoke.Call(ctx, uint64(p))
			if err != nil {
				return 0, err
			}
			return uint32(r[0]), nil
		}, 0)
	if len(k.calls) == 0 { // the placeholder imports nothing
		if out.Kind != Returned || out.ReturnID != 0 {
			t.Fatalf("%s: %+v", name, out)
		}
		return
	}
	first := "MessageContext()"
	if nv == network.Version17 {
		first = "InvocationContext()"
	}
	if out.Kind != Aborted || out.ExitCode < 16 || k.calls[0] != first {
		t.Fatalf("%s: %v exit %d %q (%v), calls %q", name, out.Kind, out.ExitCode, out.Message, out.Err, k.calls)
	}
}
