package kernel

import (
	"bytes"
	"encoding/binary"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/kernel/errno"
)

// ResolveAddress: ID addresses resolve to themselves without an existence
// check; others through the init actor (OnResolveAddress, 0 gas, with
// Rules.ZeroPricedCharges).
func (k *invocationKernel) ResolveAddress(a address.Address) (abi.ActorID, error) {
	if !k.cm.rules.DelegatedAddresses && a.Protocol() == address.Delegated {
		return 0, errno.New(errno.IllegalArgument, "delegated addresses do not exist before nv18")
	}
	if k.cm.rules.ZeroPricedCharges {
		if err := k.cm.charge(k.cm.p.OnResolveAddress()); err != nil {
			return 0, err
		}
	}
	id, found, err := k.cm.resolveAddress(a)
	if err != nil {
		return 0, err
	}
	if !found {
		return 0, errno.New(errno.NotFound, "actor not found")
	}
	return id, nil
}

// GetActorCodeCid returns an actor's code (through get_actor, so with
// state-access charging the first read pays OnActorLookup).
func (k *invocationKernel) GetActorCodeCid(id abi.ActorID) (cid.Cid, error) {
	if k.cm.rules.ZeroPricedCharges {
		if err := k.cm.charge(k.cm.p.OnGetActorCodeCid()); err != nil {
			return cid.Undef, err
		}
	}
	a, err := k.cm.getActor(id)
	if err != nil {
		return cid.Undef, err
	}
	if a == nil {
		return cid.Undef, errno.New(errno.NotFound, "actor not found")
	}
	k.reach.HandedOut(a.Code) // strict lets the actor link it; consensus does not
	return a.Code, nil
}

// GetBuiltinActorType is the manifest position of code (0 = not builtin).
func (k *invocationKernel) GetBuiltinActorType(code cid.Cid) (int32, error) {
	if k.cm.rules.ZeroPricedCharges {
		if err := k.cm.charge(k.cm.p.OnGetBuiltinActorType()); err != nil {
			return 0, err
		}
	}
	return k.cm.m.manifest.TypeOf(code), nil
}

// GetCodeCidForType: unknown (including negative) types are IllegalArgument.
func (k *invocationKernel) GetCodeCidForType(typ int32) (cid.Cid, error) {
	if k.cm.rules.ZeroPricedCharges {
		if err := k.cm.charge(k.cm.p.OnGetCodeCidForType()); err != nil {
			return cid.Undef, err
		}
	}
	code, ok := k.cm.m.manifest.CodeFor(typ)
	if !ok {
		return cid.Undef, errno.New(errno.IllegalArgument, "tried to resolve CID of unrecognized actor type %d", typ)
	}
	k.reach.HandedOut(code) // strict: e.g. the power actor links the miner code into init's Exec params
	return code, nil
}

// f2Address is blake2b-160(CBOR(origin) ‖ nonce BE ‖ counter BE) (§6.7).
func f2Address(origin address.Address, nonce, counter uint64) (address.Address, error) {
	var b bytes.Buffer
	if err := origin.MarshalCBOR(&b); err != nil {
		return address.Undef, err
	}
	var n [16]byte
	binary.BigEndian.PutUint64(n[:8], nonce)
	binary.BigEndian.PutUint64(n[8:], counter)
	b.Write(n[:])
	return address.NewActorAddress(b.Bytes())
}

// NewActorAddress is nv17 actor.new_actor_address: the origin's key address,
// and the counter is incremented on every call (fvm-abi.md §6.7).
func (k *invocationKernel) NewActorAddress() (address.Address, error) {
	key, err := k.resolveKeyAddress(k.cm.origin, false)
	if err != nil {
		return address.Undef, fatalf("resolving the origin's key address: %v", err)
	}
	counter := k.cm.actorsCreated
	k.cm.actorsCreated++
	a, err := f2Address(key, k.cm.nonce, counter)
	if err != nil {
		return address.Undef, fatalf("f2 address: %v", err)
	}
	return a, nil
}

// NextActorAddress is nv18 actor.next_actor_address: msg.from as written,
// counter not incremented (create_actor increments it).
func (k *invocationKernel) NextActorAddress() (address.Address, error) {
	a, err := f2Address(k.cm.origin, k.cm.nonce, k.cm.actorsCreated)
	if err != nil {
		return address.Undef, fatalf("f2 address: %v", err)
	}
	return a, nil
}

// resolveKeyAddress (v2) returns f1/f3 addresses as they are, otherwise the
// key address stored in the account actor's state [address]; with charge,
// reading that state costs OnBlockOpenBase + OnBlockOpenPerByte.
func (k *invocationKernel) resolveKeyAddress(a address.Address, charge bool) (address.Address, error) {
	if a.Protocol() == address.BLS || a.Protocol() == address.SECP256K1 {
		return a, nil
	}
	id, found, err := k.cm.st.LookupID(a)
	if err != nil {
		return address.Undef, err
	}
	var act *ActorState
	if found {
		if act, err = k.cm.st.GetActor(id); err != nil {
			return address.Undef, err
		}
	}
	if act == nil {
		return address.Undef, errno.New(errno.NotFound, "state tree doesn't contain actor")
	}
	if act.Code != k.cm.m.accountCode {
		return address.Undef, errno.New(errno.IllegalArgument, "target actor is not an account")
	}
	if charge {
		if err := k.cm.charge(k.cm.p.OnBlockOpenBase()); err != nil {
			return address.Undef, err
		}
	}
	blk, err := k.cm.m.bs.Get(k.ctx, act.Head)
	if err != nil {
		return address.Undef, fatalf("account actor state not found: %v", err)
	}
	if charge {
		if err := k.cm.charge(k.cm.p.OnBlockOpenPerByte(len(blk.RawData()))); err != nil {
			return address.Undef, err
		}
	}
	r := cbg.NewCborReader(bytes.NewReader(blk.RawData()))
	if maj, n, err := r.ReadHeader(); err != nil || maj != cbg.MajArray || n != 1 {
		return address.Undef, fatalf("failed to decode account actor state")
	}
	var key address.Address
	if err := key.UnmarshalCBOR(r); err != nil {
		return address.Undef, fatalf("failed to decode account actor state: %v", err)
	}
	return key, nil
}

// CreateActor is actor.create_actor (fvm-abi.md §3.2 actor): with
// Rules.CreateActorSingletons (v2) anyone may create builtin, non-singleton
// actors; otherwise (v3) only the init actor, with placeholder replacement
// and an optional delegated address.
func (k *invocationKernel) CreateActor(code cid.Cid, id abi.ActorID, delegated *address.Address) error {
	cm := k.cm
	man := cm.m.manifest
	if cm.rules.CreateActorSingletons {
		typ := man.TypeOf(code)
		if typ == 0 {
			return errno.New(errno.Forbidden, "can only create built-in actors")
		}
		if man.IsSingleton(typ) {
			return errno.New(errno.Forbidden, "can only have one instance of singleton actors")
		}
		if a, err := cm.st.GetActor(id); err == nil && a != nil {
			return errno.New(errno.Forbidden, "actor address already exists")
		}
		if err := cm.charge(cm.p.OnCreateActor(false)); err != nil {
			return err
		}
		return cm.st.SetActor(id, cm.m.newEmptyActor(code))
	}
	if k.receiver != initActorID {
		return errno.New(errno.Forbidden, "create_actor is restricted to the init actor, called by %d", k.receiver)
	}
	if k.readOnly {
		return errno.New(errno.ReadOnly, "create_actor cannot be called while read-only")
	}
	if code == cm.m.placeholderCode {
		return errno.New(errno.Forbidden, "cannot explicitly construct a placeholder actor")
	}
	existing, err := cm.getActor(id)
	if err != nil {
		return err
	}
	var act *ActorState
	switch {
	case existing != nil && existing.Code == cm.m.placeholderCode:
		if existing.DelegatedAddress == nil {
			return fatalf("placeholder %d doesn't have a delegated address", id)
		}
		if delegated == nil || *existing.DelegatedAddress != *delegated {
			return errno.New(errno.Forbidden, "placeholder has a different delegated address")
		}
		existing.Code = code
		act = existing
	case existing != nil:
		return errno.New(errno.Forbidden, "actor address already exists")
	default:
		if err := cm.charge(cm.p.OnCreateActor(false)); err != nil {
			return err
		}
		act = cm.m.newEmptyActor(code)
		if delegated != nil {
			d := *delegated
			act.DelegatedAddress = &d
		}
	}
	if err := cm.setActor(id, act); err != nil {
		return err
	}
	cm.actorsCreated++
	return nil
}

// LookupDelegatedAddress (v3 ABI): nil when the actor has none.
func (k *invocationKernel) LookupDelegatedAddress(id abi.ActorID) (*address.Address, error) {
	if err := k.cm.charge(k.cm.p.OnLookupAddress()); err != nil {
		return nil, err
	}
	a, err := k.cm.getActor(id)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, errno.New(errno.NotFound, "actor not found")
	}
	return a.DelegatedAddress, nil
}

// BalanceOf (v3 ABI): NotFound for a missing actor.
func (k *invocationKernel) BalanceOf(id abi.ActorID) (abi.TokenAmount, error) {
	if err := k.cm.charge(k.cm.p.OnBalanceOf()); err != nil {
		return abi.TokenAmount{}, err
	}
	a, err := k.cm.getActor(id)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	if a == nil {
		return abi.TokenAmount{}, errno.New(errno.NotFound, "actor not found")
	}
	return tokenU128(a.Balance, "balance")
}
