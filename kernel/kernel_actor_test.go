package kernel

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// f2 by hand (fvm-abi.md §6.7): blake2b-160 of the CBOR byte string of the
// origin address (header 0x40|len for len < 24, 0x55 for a 21-byte f1),
// then nonce and counter as big-endian u64.
func wantF2(t *testing.T, origin address.Address, nonce, counter uint64) address.Address {
	b := origin.Bytes()
	in := append([]byte{0x40 | byte(len(b))}, b...)
	if len(b) >= 24 {
		in = append([]byte{0x58, byte(len(b))}, b...)
	}
	in = binary.BigEndian.AppendUint64(in, nonce)
	in = binary.BigEndian.AppendUint64(in, counter)
	a, err := address.NewActorAddress(in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func isErrno(err error, n errno.Number) bool { got, ok := errno.Of(err); return ok && got == n }

// v3 actor creation (§3.2 actor.create_actor, §6.7, §6.11): init only,
// placeholder rules, counter bumped by create_actor only.
func TestCreateActorNv18(t *testing.T) {
	f := newFixture(t, network.Version18)
	sender := secpAddr(t, 1)
	f.addAccount(sender, 1_000_000_000_000)
	f4, err := address.NewDelegatedAddress(10, bytes.Repeat([]byte{7}, 20))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := address.NewDelegatedAddress(10, bytes.Repeat([]byte{8}, 20))
	ph := f.init.NextID
	f.init.NextID++
	f.setActor(ph, &ActorState{Code: f.codes["placeholder"], Head: f.empty, Balance: big.NewInt(9), DelegatedAddress: &f4})
	var problems []string
	expect := func(what string, ok bool) {
		if !ok {
			problems = append(problems, what)
		}
	}
	f.engine.actors[f.codes["init"]] = func(k *invocationKernel, _ uint32) Outcome {
		a0, _ := k.NextActorAddress()
		a0again, _ := k.NextActorAddress()
		expect("next_actor_address = f2(from, nonce 0, 0), not bumped", a0 == wantF2(t, sender, 0, 0) && a0again == a0)
		expect("create", k.CreateActor(f.codes["multisig"], 500, nil) == nil)
		a1, _ := k.NextActorAddress()
		expect("counter bumped by create_actor", a1 == wantF2(t, sender, 0, 1))
		expect("existing id is Forbidden", isErrno(k.CreateActor(f.codes["multisig"], 500, nil), errno.Forbidden))
		expect("placeholder code is Forbidden", isErrno(k.CreateActor(f.codes["placeholder"], 501, nil), errno.Forbidden))
		expect("other delegated address is Forbidden", isErrno(k.CreateActor(f.codes["evm"], ph, &other), errno.Forbidden))
		expect("no delegated address is Forbidden", isErrno(k.CreateActor(f.codes["evm"], ph, nil), errno.Forbidden))
		expect("placeholder replaced", k.CreateActor(f.codes["evm"], ph, &f4) == nil)
		d, err := k.LookupDelegatedAddress(ph)
		expect("delegated address kept", err == nil && d != nil && *d == f4)
		bal, err := k.BalanceOf(ph)
		expect("balance kept", err == nil && bal.Equals(big.NewInt(9)))
		_, err = k.BalanceOf(9999)
		expect("balance_of missing is NotFound", isErrno(err, errno.NotFound))
		return Outcome{Kind: Returned}
	}
	nonInit := f.addActor("notinit", 0, func(k *invocationKernel, _ uint32) Outcome {
		expect("only init may create", isErrno(k.CreateActor(f.codes["multisig"], 600, nil), errno.Forbidden))
		return Outcome{Kind: Returned}
	})
	m := f.machine()
	for _, to := range []abi.ActorID{initActorID, nonInit} {
		msg := baseMsg(sender, idAddr(to))
		msg.Method = 2
		msg.GasLimit = 20_000_000
		if to == nonInit {
			msg.Nonce = 1
		}
		if ret := apply(t, m, msg); ret.Receipt.ExitCode != 0 {
			t.Fatalf("exit %d (%s)", ret.Receipt.ExitCode, ret.FailureInfo)
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
	if a := actorOf(t, m, ph); a.Code != f.codes["evm"] || a.DelegatedAddress == nil {
		t.Errorf("placeholder after replacement: %+v", a)
	}
}

// v2 actor creation: builtin, non-singleton, new id; new_actor_address
// bumps its counter on every call.
func TestCreateActorNv17(t *testing.T) {
	f := newFixture(t, network.Version17)
	sender := secpAddr(t, 1)
	f.addAccount(sender, 1_000_000_000_000)
	var problems []string
	expect := func(what string, ok bool) {
		if !ok {
			problems = append(problems, what)
		}
	}
	notBuiltin, _ := cid.V1Builder{Codec: cid.Raw, MhType: 0xb220}.Sum([]byte("elsewhere"))
	a := f.addActor("creator", 0, func(k *invocationKernel, _ uint32) Outcome {
		a0, _ := k.NewActorAddress()
		a1, _ := k.NewActorAddress()
		expect("new_actor_address counts every call", a0 == wantF2(t, sender, 0, 0) && a1 == wantF2(t, sender, 0, 1))
		expect("non-builtin is Forbidden", isErrno(k.CreateActor(notBuiltin, 500, nil), errno.Forbidden))
		expect("singleton is Forbidden", isErrno(k.CreateActor(f.codes["init"], 500, nil), errno.Forbidden))
		expect("existing is Forbidden", isErrno(k.CreateActor(f.codes["multisig"], burntFundsActorID, nil), errno.Forbidden))
		expect("create", k.CreateActor(f.codes["multisig"], 500, nil) == nil)
		return Outcome{Kind: Returned}
	})
	m := f.machine()
	msg := baseMsg(sender, idAddr(a))
	msg.Method = 2
	msg.GasLimit = 20_000_000
	if ret := apply(t, m, msg); ret.Receipt.ExitCode != 0 {
		t.Fatalf("exit %d (%s)", ret.Receipt.ExitCode, ret.FailureInfo)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if a := actorOf(t, m, 500); a == nil || a.Code != f.codes["multisig"] || a.Head != f.empty {
		t.Errorf("created actor %+v", a)
	}
}

type tipsetExterns struct{ vectorExterns }

func (tipsetExterns) TipsetCid(e abi.ChainEpoch) (cid.Cid, error) {
	return cid.V1Builder{Codec: cid.DagCBOR, MhType: 0xb220}.Sum([]byte{byte(e)})
}

var _ fvmcrypto.Externs = tipsetExterns{}

// network.tipset_cid validation (§3.2): negative, current, future and
// finality-old epochs are IllegalArgument; charge 50,000 for the previous
// epoch, 215,000 older. gas.charge: nv17 signed (a negative amount lowers
// usage), nv18 saturating.
func TestTipsetCidAndChargeGas(t *testing.T) {
	f := newFixture(t, network.Version18)
	sender := secpAddr(t, 1)
	f.addAccount(sender, 1_000_000_000_000)
	var problems []string
	expect := func(what string, ok bool) {
		if !ok {
			problems = append(problems, what)
		}
	}
	a := f.addActor("tipsets", 0, func(k *invocationKernel, _ uint32) Outcome {
		for _, e := range []abi.ChainEpoch{-1, 1000, 1001, 100} { // current epoch 1000
			_, err := k.TipsetCid(e)
			expect("bad epoch is IllegalArgument", isErrno(err, errno.IllegalArgument))
		}
		before := k.GasTracker().Used()
		_, err := k.TipsetCid(999)
		expect("previous epoch costs 50,000", err == nil && k.GasTracker().Used()-before == 50_000_000)
		before = k.GasTracker().Used()
		_, err = k.TipsetCid(101)
		expect("older epoch costs 215,000", err == nil && k.GasTracker().Used()-before == 215_000_000)
		avail, _ := k.GasAvailable()
		expect("gas.available rounds down", int64(avail) == k.GasTracker().Available().RoundDown())
		err = k.ChargeGas("huge", -1)
		expect("nv18 u64 charge saturates to out of gas", errors.Is(err, gas.ErrOutOfGas))
		return Outcome{Kind: OutOfGas} // what the syscall layer makes of it
	})
	m := f.machine(WithExterns(tipsetExterns{}))
	msg := baseMsg(sender, idAddr(a))
	msg.Method = 2
	msg.GasLimit = 20_000_000
	ret := apply(t, m, msg)
	if ret.Receipt.ExitCode != 7 {
		t.Errorf("exit %d, want 7 after the saturating charge", ret.Receipt.ExitCode)
	}
	for _, p := range problems {
		t.Error(p)
	}

	f = newFixture(t, network.Version17)
	f.addAccount(sender, 1_000_000_000_000)
	a = f.addActor("refund", 0, func(k *invocationKernel, _ uint32) Outcome {
		_ = k.ChargeGas("refund", -10_000)
		return Outcome{Kind: Returned}
	})
	m = f.machine()
	msg = baseMsg(sender, idAddr(a))
	msg.Method = 2
	// 215,663 + 23,856 − 10,000 = 229,519
	if ret := apply(t, m, msg); ret.Receipt.GasUsed != 229_519 {
		t.Errorf("nv17 negative charge: gas %d, want 229,519", ret.Receipt.GasUsed)
	}
	_ = context.Background()
}

// The f2 origin when the message names its sender by id (§6.7): nv17
// hashes the sender's key address read from its account state, nv18 the
// f0 address exactly as written.
func TestActorAddressOriginFromIDSender(t *testing.T) {
	for _, nv := range bothVersions {
		f := newFixture(t, nv)
		key := secpAddr(t, 1)
		sid := f.addAccount(key, 1_000_000_000_000)
		var got address.Address
		var err error
		a := f.addActor("deriver", 0, func(k *invocationKernel, _ uint32) Outcome {
			if nv == network.Version17 {
				got, err = k.NewActorAddress()
			} else {
				got, err = k.NextActorAddress()
			}
			return Outcome{Kind: Returned}
		})
		m := f.machine()
		msg := baseMsg(idAddr(sid), idAddr(a))
		msg.Method = 2
		msg.GasLimit = 10_000_000
		apply(t, m, msg)
		want := wantF2(t, key, 0, 0)
		if nv == network.Version18 {
			want = wantF2(t, idAddr(sid), 0, 0)
		}
		if err != nil || got != want {
			t.Errorf("nv%d: f2 = %s (%v), want %s", nv, got, err, want)
		}
	}
}

// nv17 verify_signature with an id signer reads the account's key address
// and pays for the state block: 1,637,292 (secp) + 135,617 (open base) +
// 10.5 × 23 (the state [f1 address] is 23 bytes) = 1,773,150.5 gas. nv18
// rejects a non-key signer after the signature charge (1,637,292 + 10 × 3).
func TestVerifySignatureSigner(t *testing.T) {
	for _, nv := range bothVersions {
		f := newFixture(t, nv)
		key := secpAddr(t, 1)
		sid := f.addAccount(key, 1_000_000_000_000)
		var used gas.Gas
		var ok bool
		var err error
		a := f.addActor("verifier", 0, func(k *invocationKernel, _ uint32) Outcome {
			before := k.GasTracker().Used()
			ok, err = k.VerifySignature(1, make([]byte, 65), idAddr(sid), []byte("abc"))
			used = k.GasTracker().Used() - before
			return Outcome{Kind: Returned}
		})
		m := f.machine()
		msg := baseMsg(key, idAddr(a))
		msg.Method = 2
		msg.GasLimit = 10_000_000
		apply(t, m, msg)
		if nv == network.Version17 {
			if err != nil || ok || used != 1_773_150_500 {
				t.Errorf("nv17: (%v, %v) used %d mg, want (false, nil) and 1,773,150,500", ok, err, used)
			}
		} else if !isErrno(err, errno.IllegalArgument) || used != 1_637_322_000 {
			t.Errorf("nv18: err %v used %d mg, want IllegalArgument and 1,637,322,000", err, used)
		}
	}
}
