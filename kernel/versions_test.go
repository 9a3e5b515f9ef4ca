package kernel

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	fvmactors "github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// The kernel runs the FVM v2 line (nv16–17), the v3 line (nv18–20) and the
// v4 line (nv21–28); every other version is refused at construction with
// ErrUnsupportedNetworkVersion (fvm-abi-next.md §0.1).
func TestNewMachineNetworkVersions(t *testing.T) {
	for nv := network.Version15; nv <= network.Version29; nv++ {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			fixtureNV := nv
			if nv < network.Version16 || nv > network.Version28 {
				fixtureNV = network.Version18 // any loadable state: the version is refused first
			}
			f := newFixture(t, fixtureNV)
			root := f.stateRoot()
			m, err := NewMachine(context.Background(), f.bs, root, nv, WithEngine(f.engine))
			runs := nv >= network.Version16 && nv <= network.Version28
			switch {
			case runs && err != nil:
				t.Fatalf("refused: %v", err)
			case runs && m.NetworkVersion() != nv:
				t.Fatalf("machine runs nv%d", m.NetworkVersion())
			case !runs && !errors.Is(err, ErrUnsupportedNetworkVersion):
				t.Fatalf("error %v, want ErrUnsupportedNetworkVersion", err)
			}
		})
	}
}

// fvm-abi-next.md §14 scenario 34 and fvm-abi.md §8.2: FVM v2 (nv16–17)
// loads StateRoot versions 3 and 4, v3 and v4 (nv18–28) only 5; anything
// else fails machine construction. A version-4 root at nv18+ fails.
func TestStateRootVersionPerRules(t *testing.T) {
	for _, nv := range []network.Version{16, 17, 18, 19, 20, 21, 25, 28} {
		for _, version := range []uint64{3, 4, 5, 6} {
			t.Run(fmt.Sprintf("nv%d/v%d", nv, version), func(t *testing.T) {
				f := newFixture(t, nv)
				root := f.stateRootVersion(version)
				_, err := NewMachine(context.Background(), f.bs, root, nv, WithEngine(f.engine))
				loads := (nv <= network.Version17 && (version == 3 || version == 4)) ||
					(nv >= network.Version18 && version == 5)
				if loads != (err == nil) {
					t.Fatalf("loads = %v, error %v", loads, err)
				}
				if err != nil && !strings.Contains(err.Error(), "state root version") {
					t.Fatalf("error %q does not say why", err)
				}
			})
		}
	}
}

// fvm-abi-next.md §14 scenario 33 (§9): nv16 runs the v8 bundle, whose
// manifest has 11 actors and no datacap, so get_code_cid_for_type(12) is
// IllegalArgument; at nv17 (v9, 12 actors) type 12 is datacap. The kernel
// answers from the manifest position alone: get_builtin_actor_type of the
// storageminer code is 6 in both.
func TestGetCodeCidForTypeNv16Manifest(t *testing.T) {
	v8 := []string{"system", "init", "cron", "account", "storagepower", "storageminer",
		"storagemarket", "paymentchannel", "multisig", "reward", "verifiedregistry"}
	v9 := append(append([]string(nil), v8...), "datacap")
	for _, c := range []struct {
		nv    network.Version
		names []string
	}{{network.Version16, v8}, {network.Version17, v9}} {
		t.Run(fmt.Sprintf("nv%d", c.nv), func(t *testing.T) {
			f := newFixtureNames(t, c.nv, c.names)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000)
			var code12 cid.Cid
			var err12 error
			var minerType int32
			// The multisig code (type 9) runs the probe, so the manifest
			// keeps exactly the bundle's entries.
			f.engine.actors[f.codes["multisig"]] = func(k *invocationKernel, _ uint32) Outcome {
				code12, err12 = k.GetCodeCidForType(12)
				minerType, _ = k.GetBuiltinActorType(f.codes["storageminer"])
				return Outcome{Kind: Returned}
			}
			probe := f.addActor("multisig", 0, nil)
			m := f.machine()
			msg := baseMsg(sender, idAddr(probe))
			msg.Method = 2
			if ret := apply(t, m, msg); ret.Receipt.ExitCode != 0 {
				t.Fatalf("exit %d (%s)", ret.Receipt.ExitCode, ret.FailureInfo)
			}
			if minerType != 6 {
				t.Errorf("get_builtin_actor_type(storageminer) = %d, want 6", minerType)
			}
			if c.nv == network.Version16 {
				if !isErrno(err12, errno.IllegalArgument) {
					t.Errorf("get_code_cid_for_type(12) = %s, %v; want IllegalArgument", code12, err12)
				}
				return
			}
			if err12 != nil || code12 != f.codes["datacap"] {
				t.Errorf("get_code_cid_for_type(12) = %s, %v; want datacap %s", code12, err12, f.codes["datacap"])
			}
		})
	}
}

// stateRoot writes the fixture state (as machine() does) and returns its
// root in the version the fixture's network version creates.
func (f *fixture) stateRoot() cid.Cid {
	f.t.Helper()
	version := uint64(4)
	if f.v3() {
		version = 5
	}
	return f.stateRootVersion(version)
}

// stateRootVersion writes the fixture state under a StateRoot of the given
// version (the actor records keep the fixture version's encoding).
func (f *fixture) stateRootVersion(version uint64) cid.Cid {
	f.t.Helper()
	ctx := context.Background()
	f.writeSystemAndInit()
	actors, err := f.tree.Flush()
	if err != nil {
		f.t.Fatal(err)
	}
	root, err := f.store.Put(ctx, &fvmactors.StateRoot{Version: version, Actors: actors, Info: f.empty})
	if err != nil {
		f.t.Fatal(err)
	}
	return root
}

// fvm-abi-next.md §3.3, fvm-gas-next.md §8.1: on 3.14.1 (nv18–20) a
// tipset_cid whose 50,000-gas charge runs out of gas aborts at once with
// OutOfGas and never asks the client; 3.1.0 (TipsetCidChargeAborts off)
// ignored the failed charge and went on to the extern.
func TestTipsetCidOutOfGasAborts(t *testing.T) {
	for _, aborts := range []bool{true, false} {
		t.Run(fmt.Sprintf("aborts=%v", aborts), func(t *testing.T) {
			f := newFixture(t, network.Version19)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000)
			var err error
			asked := 0
			a := f.addActor("tipset", 0, func(k *invocationKernel, _ uint32) Outcome {
				// Leave 49,999 gas: one short of OnTipsetCid for the previous epoch.
				if e := k.cm.gas.ChargeMilli("burn", k.cm.gas.Available()-gas.NewGas(49_999)); e != nil {
					t.Fatal(e)
				}
				_, err = k.TipsetCid(999)
				return Outcome{Kind: OutOfGas}
			})
			m := f.machine(WithExterns(countingTipsets{n: &asked}))
			if !aborts {
				r := *m.rules
				r.TipsetCidChargeAborts = false
				m.rules = &r
			}
			msg := baseMsg(sender, idAddr(a))
			msg.Method = 2
			msg.GasLimit = 20_000_000
			if ret := apply(t, m, msg); ret.Receipt.ExitCode != exitcode.SysErrOutOfGas {
				t.Fatalf("exit %d", ret.Receipt.ExitCode)
			}
			if aborts != errors.Is(err, gas.ErrOutOfGas) || aborts != (asked == 0) {
				t.Fatalf("error %v, extern asked %d times", err, asked)
			}
		})
	}
}

type countingTipsets struct {
	tipsetExterns
	n *int
}

func (c countingTipsets) TipsetCid(e abi.ChainEpoch) (cid.Cid, error) {
	*c.n++
	return c.tipsetExterns.TipsetCid(e)
}
