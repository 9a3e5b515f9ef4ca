package kernel

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/errno"
)

// self reads this actor through the call manager (state-access charges apply).
func (k *invocationKernel) self() (*ActorState, error) { return k.cm.getActor(k.receiver) }

// Root is self.root: the actor's state CID; IllegalOperation once deleted.
// From nv21 it costs OnActorGetRoot (300, kept when the actor is gone) and
// makes the root reachable (fvm-abi-next.md §3.3); the strict option marks it
// too.
func (k *invocationKernel) Root() (cid.Cid, error) {
	if c, ok := k.cm.p.OnActorGetRoot(); ok {
		if err := k.cm.charge(c); err != nil {
			return cid.Undef, err
		}
	}
	a, err := k.self()
	if err != nil {
		return cid.Undef, err
	}
	if a == nil {
		return cid.Undef, errno.New(errno.IllegalOperation, "state root requested after actor deletion")
	}
	k.reach.AddRoot(a.Head)
	return a.Head, nil
}

// SetRoot is self.set_root: read-only → ReadOnly; from nv21 OnActorSetRoot
// (300), then a CID not in the reachable set → NotFound (fvm-abi-next.md
// §3.3; the strict option checks the same, without the charge); then the
// actor, IllegalOperation if deleted. Before nv21 nothing checks that the
// block exists (fvm-abi.md §3.2).
func (k *invocationKernel) SetRoot(c cid.Cid) error {
	if k.readOnly {
		return errno.New(errno.ReadOnly, "cannot update the state-root while read-only")
	}
	if ch, ok := k.cm.p.OnActorSetRoot(); ok {
		if err := k.cm.charge(ch); err != nil {
			return err
		}
	}
	if err := k.reach.CanSetRoot(c); err != nil {
		return err
	}
	a, err := k.self()
	if err != nil {
		return err
	}
	if a == nil {
		return errno.New(errno.IllegalOperation, "actor deleted")
	}
	a.Head = c
	return k.cm.setActor(k.receiver, a)
}

// CurrentBalance is 0 for a deleted actor.
func (k *invocationKernel) CurrentBalance() (abi.TokenAmount, error) {
	if k.cm.rules.ZeroPricedCharges {
		if err := k.cm.charge(k.cm.p.OnSelfBalance()); err != nil {
			return abi.TokenAmount{}, err
		}
	}
	a, err := k.self()
	if err != nil {
		return abi.TokenAmount{}, err
	}
	if a == nil {
		return big.Zero(), nil
	}
	return tokenU128(a.Balance, "balance")
}

// SelfDestruct is self.self_destruct of FVM v2 and v3: it transfers the
// whole balance to beneficiary and deletes the actor; idempotent once deleted
// (fvm-abi.md §3.2 self, §6.9).
func (k *invocationKernel) SelfDestruct(beneficiary address.Address) error {
	if k.readOnly {
		return errno.New(errno.ReadOnly, "cannot self-destruct when read-only")
	}
	if err := k.cm.charge(k.cm.p.OnDeleteActor()); err != nil {
		return err
	}
	bal, err := k.CurrentBalance()
	if err != nil {
		return err
	}
	if !bal.IsZero() {
		id, err := k.ResolveAddress(beneficiary)
		if err != nil {
			return err
		}
		if id == k.receiver {
			return errno.New(errno.Forbidden, "benefactor cannot be beneficiary")
		}
		if err := k.cm.transfer(k.receiver, id, bal); err != nil {
			return err
		}
	}
	return k.cm.deleteActor(k.receiver)
}

// SelfDestructBurn is self.self_destruct of FVM v4 (Rules.SelfDestructBurn,
// FIP-0073, fvm-abi-next.md §3.3): read-only → ReadOnly; OnDeleteActor; the
// balance (0 once deleted); a non-zero balance without burn is
// IllegalOperation, with burn it moves to the burnt-funds actor f099 without
// OnValueTransfer, and any failure of that transfer (out of gas included) is
// fatal; then the actor is deleted. Idempotent once deleted.
func (k *invocationKernel) SelfDestructBurn(burn bool) error {
	if k.readOnly {
		return errno.New(errno.ReadOnly, "cannot self-destruct when read-only")
	}
	if err := k.cm.charge(k.cm.p.OnDeleteActor()); err != nil {
		return err
	}
	bal, err := k.CurrentBalance()
	if err != nil {
		return err
	}
	if !bal.IsZero() {
		if !burn {
			return errno.New(errno.IllegalOperation, "self-destruct with a balance of %s and no burn", bal)
		}
		if err := k.cm.transfer(k.receiver, burntFundsActorID, bal); err != nil {
			return fatalf("burning the balance of a self-destructing actor: %v", err)
		}
	}
	return k.cm.deleteActor(k.receiver)
}
