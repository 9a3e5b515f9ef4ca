package kernel

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// State access through the call manager: address resolution, actor reads
// and writes with the state-access charges (fvm-abi.md §6.10), transfers
// (§6.8). cm.access exists exactly when the price list charges state access
// (gas.Rules.StateAccessCharging); without it reads and writes are free.

// resolveAddress: ID addresses resolve to themselves; others through the
// init actor (with state-access charging: OnResolveAddress, 0 gas, once per
// address).
func (cm *callManager) resolveAddress(a address.Address) (abi.ActorID, bool, error) {
	if a.Protocol() == address.ID {
		id, err := address.IDFromAddress(a)
		if err != nil {
			return 0, false, errno.New(errno.IllegalArgument, "bad id address")
		}
		return abi.ActorID(id), true, nil
	}
	if cm.access != nil {
		if !cm.access.AddressResolved(a) {
			if err := cm.charge(cm.p.OnResolveAddress()); err != nil {
				return 0, false, err
			}
		}
		id, found, err := cm.st.LookupID(a)
		if err == nil && found {
			cm.access.RecordAddress(a)
		}
		return id, found, err
	}
	return cm.st.LookupID(a)
}

// getActor reads an actor (OnActorLookup on the first read, even if missing).
func (cm *callManager) getActor(id abi.ActorID) (*ActorState, error) {
	if cm.access != nil && cm.access.Actor(id) < gas.AccessRead {
		if err := cm.charge(cm.p.OnActorLookup()); err != nil {
			return nil, err
		}
	}
	a, err := cm.st.GetActor(id)
	if err != nil {
		return nil, err
	}
	if cm.access != nil {
		cm.access.RecordRead(id)
	}
	return a, nil
}

// chargeWrite pays the lookup/update charges of a state write.
func (cm *callManager) chargeWrite(id abi.ActorID) error {
	if cm.access == nil {
		return nil
	}
	l := cm.access.Actor(id)
	if l < gas.AccessRead {
		if err := cm.charge(cm.p.OnActorLookup()); err != nil {
			return err
		}
	}
	if l < gas.AccessUpdated {
		if err := cm.charge(cm.p.OnActorUpdate()); err != nil {
			return err
		}
	}
	return nil
}

func (cm *callManager) setActor(id abi.ActorID, a *ActorState) error {
	if err := cm.chargeWrite(id); err != nil {
		return err
	}
	if err := cm.st.SetActor(id, a); err != nil {
		return err
	}
	if cm.access != nil {
		cm.access.RecordUpdate(id)
	}
	return nil
}

func (cm *callManager) deleteActor(id abi.ActorID) error {
	if err := cm.chargeWrite(id); err != nil {
		return err
	}
	if err := cm.st.DeleteActor(id); err != nil {
		return err
	}
	if cm.access != nil {
		cm.access.RecordUpdate(id)
	}
	return nil
}

// transfer moves value between actors (fvm-abi.md §6.8).
func (cm *callManager) transfer(from, to abi.ActorID, value abi.TokenAmount) error {
	if value.Sign() < 0 {
		return errno.New(errno.IllegalArgument, "attempted to transfer negative value %s", value)
	}
	fromA, err := cm.getActor(from)
	if err != nil {
		return err
	}
	if fromA == nil {
		return errno.New(errno.InsufficientFunds, "sender %d does not exist", from)
	}
	if fromA.Balance.LessThan(value) {
		return errno.New(errno.InsufficientFunds, "sender does not have funds to transfer (balance %s, transfer %s)",
			fromA.Balance, value)
	}
	if from == to {
		return nil
	}
	toA, err := cm.getActor(to)
	if err != nil {
		return err
	}
	if toA == nil {
		return errno.New(errno.NotFound, "transfer recipient %d does not exist", to)
	}
	fromA.Balance = big.Sub(fromA.Balance, value)
	toA.Balance = big.Add(toA.Balance, value)
	if err := cm.setActor(from, fromA); err != nil {
		return err
	}
	return cm.setActor(to, toA)
}
