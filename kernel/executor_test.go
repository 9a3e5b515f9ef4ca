package kernel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/filecoin-project/go-state-types/network"
)

func secpAddr(t testing.TB, seed byte) address.Address {
	t.Helper()
	a, err := address.NewSecp256k1Address(bytes.Repeat([]byte{seed}, 65))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func idAddr(id abi.ActorID) address.Address {
	a, _ := address.NewIDAddress(uint64(id))
	return a
}

func actorOf(t testing.TB, m *Machine, id abi.ActorID) *ActorState {
	t.Helper()
	a, err := m.st.GetActor(id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func flushRoot(t testing.TB, m *Machine) string {
	t.Helper()
	r, err := m.Flush(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r.String()
}

func baseMsg(from, to address.Address) *Message {
	return &Message{From: from, To: to, Value: big.Zero(), GasLimit: 1_000_000,
		GasFeeCap: big.NewInt(200), GasPremium: big.NewInt(5)}
}

// chainLen is the L every test passes: inclusion = 85,663 + 130,000 =
// 215,663 gas in nv17 and 560,663 + 130,000 = 690,663 in nv18 (§10).
const chainLen = 100

// Preflight failures (fvm-abi.md §7.1): exit code, gas_used 0, penalty,
// and no state change.
func TestPreflight(t *testing.T) {
	for _, nv := range []network.Version{network.Version17, network.Version18} {
		inclusion := int64(215_663)
		if nv == network.Version18 {
			inclusion = 690_663
		}
		cases := []struct {
			name    string
			edit    func(m *Message, sender address.Address, notAccount abi.ActorID)
			exit    exitcode.ExitCode
			penalty int64
		}{
			{"inclusion over limit", func(m *Message, _ address.Address, _ abi.ActorID) { m.GasLimit = inclusion - 1 },
				exitcode.SysErrOutOfGas, 100 * inclusion},
			{"unknown key sender", func(m *Message, _ address.Address, _ abi.ActorID) { m.From = secpAddr(t, 9) },
				exitcode.SysErrSenderInvalid, 100 * 1_000_000},
			{"missing id sender", func(m *Message, _ address.Address, _ abi.ActorID) { m.From = idAddr(4242) },
				exitcode.SysErrSenderInvalid, 100 * 1_000_000},
			{"sender not an account", func(m *Message, _ address.Address, na abi.ActorID) { m.From = idAddr(na) },
				exitcode.SysErrSenderInvalid, 100 * 1_000_000},
			{"nonce mismatch", func(m *Message, _ address.Address, _ abi.ActorID) { m.Nonce = 5 },
				exitcode.SysErrSenderStateInvalid, 100 * 1_000_000},
			{"balance below fee cap × limit", func(m *Message, _ address.Address, _ abi.ActorID) { m.GasFeeCap = big.NewInt(2_000_000) },
				exitcode.SysErrSenderStateInvalid, 100 * 1_000_000},
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("nv%d/%s", nv, c.name), func(t *testing.T) {
				f := newFixture(t, nv)
				sender := secpAddr(t, 1)
				sid := f.addAccount(sender, 1_000_000_000_000)
				na := f.addActor("multisig", 0, nil)
				m := f.machine()
				before := flushRoot(t, m)
				msg := baseMsg(sender, idAddr(burntFundsActorID))
				c.edit(msg, sender, na)
				ret, err := NewExecutor(m).ApplyMessage(context.Background(), msg, chainLen)
				if err != nil {
					t.Fatal(err)
				}
				if ret.Receipt.ExitCode != c.exit || ret.Receipt.GasUsed != 0 {
					t.Errorf("receipt {exit %d gas %d}, want {exit %d gas 0}", ret.Receipt.ExitCode, ret.Receipt.GasUsed, c.exit)
				}
				if !ret.MinerPenalty.Equals(big.NewInt(c.penalty)) {
					t.Errorf("penalty %s, want %d", ret.MinerPenalty, c.penalty)
				}
				if after := flushRoot(t, m); after != before {
					t.Errorf("state changed by a preflight failure")
				}
				if a := actorOf(t, m, sid); a.Nonce != 0 {
					t.Errorf("nonce %d, want 0", a.Nonce)
				}
			})
		}
	}
}

// msg.check failures are client errors, not receipts (§7.1 step 1).
func TestMessageCheck(t *testing.T) {
	f := newFixture(t, network.Version17)
	sender := secpAddr(t, 1)
	f.addAccount(sender, 1_000_000_000_000)
	m := f.machine()
	for _, limit := range []int64{0, -1} {
		msg := baseMsg(sender, idAddr(burntFundsActorID))
		msg.GasLimit = limit
		if _, err := NewExecutor(m).ApplyMessage(context.Background(), msg, chainLen); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("gas limit %d: err = %v, want ErrInvalidMessage", limit, err)
		}
	}
}

// A method-0 value send and its gas outputs, worked by hand (§7.4, §10):
// nv17 gas_used = 215,663 + 216,405 (OnMethodInvocation, value ≠ 0,
// method 0) = 432,068. over = 1,000,000 − ⌊11·432,068/10⌋ = 524,726,
// capped at used, so gas_burned = 567,932 and gas_refund = 0.
// base_fee_burn = 100·432,068; tip = 5·1,000,000; over-burn = 100·567,932;
// refund = 200·1,000,000 − 43,206,800 − 5,000,000 − 56,793,200 = 95,000,000.
//
// nv18 gas_used = 690,663 + 6,000 (OnValueTransfer) + 475,000
// (OnActorUpdate of the receiver; the sender is pre-marked updated and the
// receiver read) = 1,171,663 > limit, so the limit is raised to 2,000,000:
// over = 2,000,000 − 1,288,829 = 711,171 → burned = ⌊828,337·711,171/
// 1,171,663⌋ = 502,780, gas refund 325,557.
func TestMethodZeroTransferAndGasOutputs(t *testing.T) {
	cases := []struct {
		nv                                 network.Version
		limit, used, burned                int64
		burn, tip, overBurn, refund, gasRf int64
	}{
		{network.Version17, 1_000_000, 432_068, 567_932, 43_206_800, 5_000_000, 56_793_200, 95_000_000, 0},
		{network.Version18, 2_000_000, 1_171_663, 502_780, 117_166_300, 10_000_000, 50_278_000, 222_555_700, 325_557},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("nv%d", c.nv), func(t *testing.T) {
			f := newFixture(t, c.nv)
			sender := secpAddr(t, 1)
			sid := f.addAccount(sender, 1_000_000_000_000)
			rid := f.addAccount(secpAddr(t, 2), 0)
			m := f.machine()
			msg := baseMsg(sender, idAddr(rid))
			msg.GasLimit = c.limit
			msg.Value = big.NewInt(1000)
			ret, err := NewExecutor(m).ApplyMessage(context.Background(), msg, chainLen)
			if err != nil {
				t.Fatal(err)
			}
			if ret.Receipt.ExitCode != 0 || ret.Receipt.GasUsed != c.used {
				t.Fatalf("receipt {exit %d gas %d}, want {0 %d} (%s)", ret.Receipt.ExitCode, ret.Receipt.GasUsed, c.used, ret.FailureInfo)
			}
			if ret.GasBurned != c.burned || ret.GasRefund != c.gasRf {
				t.Errorf("burned/refund gas = %d/%d, want %d/%d", ret.GasBurned, ret.GasRefund, c.burned, c.gasRf)
			}
			want := map[string][2]big.Int{
				"burn":     {ret.BaseFeeBurn, big.NewInt(c.burn)},
				"tip":      {ret.MinerTip, big.NewInt(c.tip)},
				"overBurn": {ret.OverEstimationBurn, big.NewInt(c.overBurn)},
				"refund":   {ret.Refund, big.NewInt(c.refund)},
			}
			for k, v := range want {
				if !v[0].Equals(v[1]) {
					t.Errorf("%s = %s, want %s", k, v[0], v[1])
				}
			}
			cost := big.Mul(big.NewInt(200), big.NewInt(c.limit))
			wantSender := big.Sub(big.Add(big.Sub(big.NewInt(1_000_000_000_000), cost), big.NewInt(c.refund)), big.NewInt(1000))
			checks := []struct {
				id  abi.ActorID
				bal big.Int
			}{
				{sid, wantSender},
				{rid, big.NewInt(1000)},
				{burntFundsActorID, big.NewInt(c.burn + c.overBurn)},
				{rewardActorID, big.NewInt(c.tip)},
			}
			for _, ck := range checks {
				if a := actorOf(t, m, ck.id); !a.Balance.Equals(ck.bal) {
					t.Errorf("actor %d balance %s, want %s", ck.id, a.Balance, ck.bal)
				}
			}
			if a := actorOf(t, m, sid); a.Nonce != 1 {
				t.Errorf("sender nonce %d, want 1", a.Nonce)
			}
		})
	}
}
