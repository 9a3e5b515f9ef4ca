package kernel

import (
	"bytes"
	"context"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
)

// Actor creation triggered by a send to an unknown key or EAM address
// (fvm-abi.md §6.2).

// delegatedNamespace reads the EAM-style namespace of an f4 address.
func delegatedNamespace(a address.Address) (abi.ActorID, error) {
	ns, _, err := varintUvarint(a.Payload())
	return abi.ActorID(ns), err
}

// isBLSZero reports the f3 address whose key is the BLS zero point.
func isBLSZero(a address.Address) bool {
	if a.Protocol() != address.BLS {
		return false
	}
	p := a.Payload()
	return len(p) == 48 && p[0] == 0xc0 && bytes.Count(p[1:], []byte{0}) == 47
}

// createAccountFromSend auto-creates an account for an unknown f1/f3 and
// runs its constructor as the system actor, ignoring its exit code (§6.2).
func (cm *callManager) createAccountFromSend(ctx context.Context, a address.Address) (abi.ActorID, error) {
	var id abi.ActorID
	var err error
	if !cm.rules.CheckBLSZeroFirst {
		// v2 charges before refusing the BLS zero address (fvm-abi.md §6.2).
		if err := cm.charge(cm.p.OnCreateActor(true)); err != nil {
			return 0, err
		}
		if isBLSZero(a) {
			return 0, errno.New(errno.IllegalArgument, "cannot create the bls zero address actor")
		}
		if id, err = cm.registerActor(a, cm.m.newEmptyActor(cm.m.accountCode)); err != nil {
			return 0, err
		}
	} else {
		if isBLSZero(a) {
			return 0, errno.New(errno.IllegalArgument, "cannot create the bls zero address actor")
		}
		if id, err = cm.createActorFromSend(a, cm.m.newEmptyActor(cm.m.accountCode)); err != nil {
			return 0, err
		}
	}
	// params = CBOR byte string of the address; tagged DAG-CBOR in v2, CBOR
	// in v3 (Rules.CBORParams, fvm-abi.md §6.2).
	var buf bytes.Buffer
	if err := a.MarshalCBOR(&buf); err != nil {
		return 0, errno.New(errno.IllegalArgument, "failed to serialize params: %v", err)
	}
	codec := codecs.DagCBOR
	if cm.rules.CBORParams {
		codec = codecs.CBOR
	}
	if _, err := cm.sendResolved(ctx, systemActorID, id, 1, &block{Codec: codec, Data: buf.Bytes()},
		big.Zero(), false); err != nil {
		return 0, err
	}
	return id, nil
}

// createActorFromSend: OnCreateActor(true), register the address, then
// set_actor with its state-access charges (fvm-abi.md §6.2).
func (cm *callManager) createActorFromSend(a address.Address, act *ActorState) (abi.ActorID, error) {
	if err := cm.charge(cm.p.OnCreateActor(true)); err != nil {
		return 0, err
	}
	return cm.registerActor(a, act)
}

// registerActor assigns a new id to a in the init actor's map and stores
// act under it.
func (cm *callManager) registerActor(a address.Address, act *ActorState) (abi.ActorID, error) {
	id, err := cm.st.RegisterNewAddress(a)
	if err != nil {
		return 0, err
	}
	if cm.access != nil {
		cm.access.RecordAddress(a)
	}
	if err := cm.setActor(id, act); err != nil {
		return 0, err
	}
	return id, nil
}
