package kernel

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
)

var bothVersions = []network.Version{network.Version17, network.Version18}

func apply(t *testing.T, m *Machine, msg *Message) *ApplyRet {
	t.Helper()
	ret, err := NewExecutor(m).ApplyMessage(context.Background(), msg, chainLen)
	if err != nil {
		t.Fatal(err)
	}
	return ret
}

// Call depth (fvm-abi.md §6.1, §13.7): an actor that keeps sending to
// itself reaches 1025 frames in nv17 (depth > 1024 checked before the
// increment) and 1024 in nv18 (depth ≥ 1024); the send that would go deeper
// fails with LimitExceeded.
func TestCallDepthLimit(t *testing.T) {
	for _, nv := range bothVersions {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			f := newFixture(t, nv)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000_000)
			var self abi.ActorID
			deepest, limitErrs := 0, 0
			self = f.addActor("recurse", 0, func(k *invocationKernel, _ uint32) Outcome {
				deepest = max(deepest, k.cm.depth)
				_, err := k.Send(context.Background(), idAddr(self), 2, 0, big.Zero(), nil, 0)
				if n, ok := errno.Of(err); ok && n == errno.LimitExceeded {
					limitErrs++
				} else if err != nil {
					return Outcome{Kind: Fatal, Err: err}
				}
				return Outcome{Kind: Returned}
			})
			m := f.machine()
			msg := baseMsg(sender, idAddr(self))
			msg.Method = 2
			msg.GasLimit = 2_000_000_000
			msg.GasFeeCap = big.NewInt(1)
			ret := apply(t, m, msg)
			if ret.Receipt.ExitCode != 0 {
				t.Fatalf("exit %d: %s", ret.Receipt.ExitCode, ret.FailureInfo)
			}
			want := 1025
			if nv == network.Version18 {
				want = 1024
			}
			if deepest != want || limitErrs != 1 {
				t.Errorf("deepest frame %d with %d LimitExceeded, want %d and 1", deepest, limitErrs, want)
			}
		})
	}
}

// Transactions (§6.6): a callee that aborts loses its state changes, the
// caller keeps its own; a failing message loses everything except the
// nonce and the gas pre-payment.
func TestTransactionsRevert(t *testing.T) {
	for _, nv := range bothVersions {
		for _, callerAborts := range []bool{false, true} {
			t.Run(fmt.Sprintf("nv%d/callerAborts=%v", nv, callerAborts), func(t *testing.T) {
				f := newFixture(t, nv)
				sender := secpAddr(t, 1)
				sid := f.addAccount(sender, 1_000_000_000_000)
				rootA := codeCID(t, "state-a")
				rootB := codeCID(t, "state-b")
				var calleeExit uint32
				b := f.addActor("callee", 0, func(k *invocationKernel, _ uint32) Outcome {
					if err := k.SetRoot(rootB); err != nil {
						return Outcome{Kind: Fatal, Err: err}
					}
					return Outcome{Kind: Aborted, Code: 16}
				})
				a := f.addActor("caller", 0, func(k *invocationKernel, _ uint32) Outcome {
					if err := k.SetRoot(rootA); err != nil {
						return Outcome{Kind: Fatal, Err: err}
					}
					r, err := k.Send(context.Background(), idAddr(b), 2, 0, big.Zero(), nil, 0)
					if err != nil {
						return Outcome{Kind: Fatal, Err: err}
					}
					calleeExit = r.ExitCode
					if callerAborts {
						return Outcome{Kind: Aborted, Code: 17}
					}
					return Outcome{Kind: Returned}
				})
				m := f.machine()
				msg := baseMsg(sender, idAddr(a))
				msg.Method = 2
				msg.GasLimit = 10_000_000
				ret := apply(t, m, msg)
				if calleeExit != 16 {
					t.Errorf("callee exit seen by caller = %d, want 16", calleeExit)
				}
				wantExit, wantA := exitcode.ExitCode(0), rootA
				if callerAborts {
					wantExit, wantA = 17, f.empty
				}
				if ret.Receipt.ExitCode != wantExit {
					t.Errorf("exit %d, want %d (%s)", ret.Receipt.ExitCode, wantExit, ret.FailureInfo)
				}
				if h := actorOf(t, m, a).Head; h != wantA {
					t.Errorf("caller head %s, want %s", h, wantA)
				}
				if h := actorOf(t, m, b).Head; h != f.empty {
					t.Errorf("callee head %s, want the empty array (reverted)", h)
				}
				s := actorOf(t, m, sid)
				if s.Nonce != 1 || ret.Receipt.GasUsed == 0 {
					t.Errorf("nonce %d gas %d: the nonce and gas must survive a revert", s.Nonce, ret.Receipt.GasUsed)
				}
			})
		}
	}
}

// Auto-creation of an account on a send to an unknown f1 (§6.2): new id =
// init's next id, constructor run as the system actor with method 1 and the
// CBOR address as params (DAG-CBOR in nv17, CBOR in nv18), its exit code
// ignored. Gas by hand (§10):
// nv17: 215,663 + 1,207,254 (OnCreateActor) + 23,856 (constructor
// invocation) + 216,405 (value send, method 0) = 1,663,178.
// nv18: 690,663 + 2,700,000 (OnCreateActor(true)) + 500,000 + 475,000
// (set_actor of the new id) + 75,000 + 445,644.8 (constructor invocation,
// 17 pages) + 6,000 (OnValueTransfer; both actors already updated) =
// 4,892,307.8 → 4,892,308.
func TestAutoCreateAccount(t *testing.T) {
	for _, nv := range bothVersions {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			f := newFixture(t, nv)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000)
			newID := f.init.NextID
			target := secpAddr(t, 7)
			var seen struct {
				caller abi.ActorID
				method abi.MethodNum
				codec  uint64
				params []byte
				calls  int
			}
			f.engine.actors[f.codes["account"]] = func(k *invocationKernel, params uint32) Outcome {
				seen.calls++
				seen.caller, seen.method = k.caller, k.method
				if b, err := k.reg.get(params); err == nil {
					seen.codec, seen.params = b.Codec, b.Data
				}
				return Outcome{Kind: Aborted, Code: 16} // ignored by the FVM
			}
			m := f.machine()
			msg := baseMsg(sender, target)
			msg.GasLimit = 10_000_000
			msg.Value = big.NewInt(500)
			ret := apply(t, m, msg)
			wantGas, wantCodec := int64(1_663_178), codecs.DagCBOR
			if nv == network.Version18 {
				wantGas, wantCodec = 4_892_308, codecs.CBOR
			}
			if ret.Receipt.ExitCode != 0 || ret.Receipt.GasUsed != wantGas {
				t.Fatalf("receipt {exit %d gas %d}, want {0 %d} (%s)", ret.Receipt.ExitCode, ret.Receipt.GasUsed, wantGas, ret.FailureInfo)
			}
			var addrCBOR bytes.Buffer
			_ = target.MarshalCBOR(&addrCBOR)
			if seen.calls != 1 || seen.caller != systemActorID || seen.method != 1 || seen.codec != wantCodec ||
				!bytes.Equal(seen.params, addrCBOR.Bytes()) {
				t.Errorf("constructor saw %+v", seen)
			}
			id, found, err := m.st.LookupID(target)
			if err != nil || !found || id != newID {
				t.Fatalf("new address resolves to %d (%v, %v), want %d", id, found, err, newID)
			}
			a := actorOf(t, m, id)
			if a.Code != f.codes["account"] || !a.Balance.Equals(big.NewInt(500)) || a.Head != f.empty {
				t.Errorf("new actor %+v", a)
			}
		})
	}
}

// Top-level send failures map to exit codes (§7.3, §13.14), with gas by hand.
func TestTopLevelSendErrors(t *testing.T) {
	blsZero, err := address.NewBLSAddress(append([]byte{0xc0}, make([]byte, 47)...))
	if err != nil {
		t.Fatal(err)
	}
	f2, _ := address.NewActorAddress([]byte("nobody"))
	cases := []struct {
		name   string
		to     address.Address
		value  int64
		exit   exitcode.ExitCode
		gas17  int64
		gas18  int64
		exists bool
	}{
		// v2 charges OnCreateActor before the zero-address check, v3 after.
		{"bls zero address", blsZero, 0, 10, 215_663 + 1_207_254, 690_663, false},
		{"unknown f2", f2, 0, exitcode.SysErrInvalidReceiver, 215_663, 690_663, false},
		{"missing f0", idAddr(4242), 0, exitcode.SysErrInvalidReceiver, 215_663, 690_663, false},
		// v2: OnMethodInvocation (216,405) comes before the transfer; v3:
		// OnValueTransfer 6,000 then the failing balance check.
		{"insufficient funds", idAddr(burntFundsActorID), 2_000_000_000_000, exitcode.SysErrInsufficientFunds,
			215_663 + 216_405, 690_663 + 6_000, true},
	}
	for _, nv := range bothVersions {
		for _, c := range cases {
			t.Run(fmt.Sprintf("nv%d/%s", nv, c.name), func(t *testing.T) {
				f := newFixture(t, nv)
				sender := secpAddr(t, 1)
				f.addAccount(sender, 1_000_000_000_000)
				m := f.machine()
				msg := baseMsg(sender, c.to)
				msg.GasLimit = 5_000_000
				msg.Value = big.NewInt(c.value)
				ret := apply(t, m, msg)
				want := c.gas17
				if nv == network.Version18 {
					want = c.gas18
				}
				if ret.Receipt.ExitCode != c.exit || ret.Receipt.GasUsed != want {
					t.Errorf("receipt {exit %d gas %d}, want {%d %d} (%s)", ret.Receipt.ExitCode,
						ret.Receipt.GasUsed, c.exit, want, ret.FailureInfo)
				}
			})
		}
	}
}

// Method 0 never runs code (§6.3), whatever the receiver's code.
func TestMethodZeroRunsNoCode(t *testing.T) {
	for _, nv := range bothVersions {
		f := newFixture(t, nv)
		sender := secpAddr(t, 1)
		f.addAccount(sender, 1_000_000_000_000)
		ran := false
		r := f.addActor("any", 0, func(*invocationKernel, uint32) Outcome {
			ran = true
			return Outcome{Kind: Aborted, Code: 20}
		})
		m := f.machine()
		msg := baseMsg(sender, idAddr(r))
		msg.Params = []byte{0x80}
		ret := apply(t, m, msg)
		if ran || ret.Receipt.ExitCode != 0 {
			t.Errorf("nv%d: method 0 ran code (%v) or failed (exit %d)", nv, ran, ret.Receipt.ExitCode)
		}
	}
}

var _ = cid.Undef
