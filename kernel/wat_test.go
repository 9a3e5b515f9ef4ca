package kernel

//go:generate sh testdata/gen.sh

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// addWasmActor stores testdata/<name>.wasm under its code CID (raw,
// blake2b-256, like the bundles), lists it in the manifest and creates an
// actor running it.
func (f *fixture) addWasmActor(name string) abi.ActorID {
	f.t.Helper()
	wasm, err := os.ReadFile(filepath.Join("testdata", name+".wasm"))
	if err != nil {
		f.t.Fatal(err)
	}
	c, err := cid.V1Builder{Codec: cid.Raw, MhType: mh.BLAKE2B_MIN + 31}.Sum(wasm)
	if err != nil {
		f.t.Fatal(err)
	}
	blk, _ := blocks.NewBlockWithCid(wasm, c)
	_ = f.bs.Put(context.Background(), blk)
	f.manifest = append(f.manifest, &manifestEntryT{name: name, code: c})
	id := f.init.NextID
	f.init.NextID++
	f.setActor(id, &ActorState{Code: c, Head: f.empty, Balance: big.Zero()})
	return id
}

// Real wasm through kernel/engine and syscalls: how invoke ends maps to the
// exit codes of fvm-abi.md §5.2.
func TestWasmOutcomes(t *testing.T) {
	cases := []struct {
		actor string
		nvs   []network.Version
		exit  exitcode.ExitCode
	}{
		{"actor_ok", bothVersions, 0},
		{"actor_abort18", []network.Version{network.Version17}, 18},
		{"actor_abort3", []network.Version{network.Version17}, exitIllegalExitCode},
		{"actor_trap", bothVersions, exitIllegalInstruction},
		{"actor_badret", bothVersions, exitMissingReturn},
		{"actor_loop", bothVersions, exitcode.SysErrOutOfGas},
		// fvm-abi-next.md §14 scenario 28: crypto.verify_seal links on FVM
		// v2 (its IllegalArgument is ignored, invoke returns 0); on 3.14.1
		// (nv18–20) the module fails to link: fatal, all gas.
		{"actor_verifyseal", []network.Version{network.Version16, network.Version17}, 0},
		{"actor_verifyseal", []network.Version{network.Version18, network.Version19, network.Version20}, exitAssertionFailed},
	}
	eng := wasmEngineForTest(t)
	for _, c := range cases {
		for _, nv := range c.nvs {
			t.Run(fmt.Sprintf("%s/nv%d", c.actor, nv), func(t *testing.T) {
				f := newFixture(t, nv)
				sender := secpAddr(t, 1)
				f.addAccount(sender, 1_000_000_000_000)
				a := f.addWasmActor(c.actor)
				m := f.machine(WithEngine(eng))
				msg := baseMsg(sender, idAddr(a))
				msg.Method = 2
				msg.GasLimit = 3_000_000
				ret := apply(t, m, msg)
				if ret.Receipt.ExitCode != c.exit {
					t.Fatalf("exit %d, want %d (%s)", ret.Receipt.ExitCode, c.exit, ret.FailureInfo)
				}
				if c.exit == exitAssertionFailed && !strings.Contains(ret.FailureInfo, "link") {
					t.Errorf("fatal for another reason: %s", ret.FailureInfo)
				}
				if (c.exit == exitcode.SysErrOutOfGas || c.exit == exitAssertionFailed) && ret.Receipt.GasUsed != msg.GasLimit {
					t.Errorf("out of gas used %d, want the limit %d", ret.Receipt.GasUsed, msg.GasLimit)
				}
			})
		}
	}
}
