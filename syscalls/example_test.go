package syscalls

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Register binds the nv18 ABI into a runtime; Invoke runs one actor call
// with a kernel and classifies how it ended. Here the test driver calls
// vm.exit(16, 0, …) from wasm.
func ExampleInvoke() {
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	if err := Register(ctx, rt, network.Version18); err != nil {
		panic(err)
	}
	mod, err := rt.Instantiate(ctx, abiV3Wasm)
	if err != nil {
		panic(err)
	}
	k := newFake(network.Version18, testLimit) // any Kernel
	gasGlobal := mod.ExportedGlobal("gas_counter").(api.MutableGlobal)
	exit := mod.ExportedFunction("vm.exit")

	out := Invoke(ctx, k, mod.Memory(), gasGlobal, func(ctx context.Context, params uint32) (uint32, error) {
		_, err := exit.Call(ctx, 16, 0, 0, 0)
		return 0, err
	}, 0)
	fmt.Println(out.Kind, int64(out.ExitCode), out.Message)
	fmt.Println("gas used:", k.GasTracker().Used().RoundUp()) // OnSyscall
	// Output:
	// Aborted 16 actor aborted
	// gas used: 14000
}
