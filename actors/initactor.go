package actors

import (
	"context"
	"fmt"

	"github.com/filecoin-project/go-address"
	hamt "github.com/filecoin-project/go-hamt-ipld/v3"
	"github.com/filecoin-project/go-state-types/abi"
	init10 "github.com/filecoin-project/go-state-types/builtin/v10/init"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// InitState is the init actor's state [address_map, next_id, network_name]
// (fvm-abi.md §8.5). The v9 (nv17) and v10 (nv18) encodings are the same, so
// go-state-types' v10 type serves both.
type InitState = init10.State

// initCache keeps the decoded init state and its loaded address-map HAMT for
// one init head, so warm lookups do not reload them. It is keyed by the head
// CID: a reverted registration restores the old head, which misses the cache.
type initCache struct {
	head  cid.Cid
	state *InitState
	amap  *hamt.Node
}

func (st *StateTree) loadInit() (c *initCache, err error) {
	defer recoverTo(&err)
	a, err := st.GetActor(InitActorID)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, fmt.Errorf("actors: init actor (id 1) not found")
	}
	if st.init.state != nil && st.init.head == a.Head {
		return &st.init, nil
	}
	var s InitState
	if err := st.store.Get(st.ctx, a.Head, &s); err != nil {
		return nil, fmt.Errorf("actors: load init state %s: %w", a.Head, err)
	}
	amap, err := hamt.LoadNode(st.ctx, st.store, s.AddressMap, hamtOptions()...)
	if err != nil {
		return nil, fmt.Errorf("actors: load init address map %s: %w", s.AddressMap, err)
	}
	st.init = initCache{head: a.Head, state: &s, amap: amap}
	return &st.init, nil
}

func (c *initCache) lookup(ctx context.Context, a address.Address) (id abi.ActorID, found bool, err error) {
	defer recoverTo(&err)
	var v cbg.CborInt
	found, err = c.amap.Find(ctx, string(a.Bytes()), &v)
	if err != nil {
		return 0, false, fmt.Errorf("actors: resolve %s: %w", a, err)
	}
	if !found {
		return 0, false, nil
	}
	if v < 0 {
		return 0, false, fmt.Errorf("actors: address map holds negative id %d for %s", v, a)
	}
	return abi.ActorID(v), true, nil
}

// register maps a to next_id, bumps next_id and stores the new state,
// returning the id and the new init head. The cache moves to the new head.
func (c *initCache) register(ctx context.Context, store cbor.IpldStore, a address.Address) (id abi.ActorID, head cid.Cid, err error) {
	defer recoverTo(&err)
	s := *c.state
	id = s.NextID
	if err := c.amap.Set(ctx, string(a.Bytes()), cbg.CborInt(id)); err != nil {
		c.state = nil // the node is now ahead of the stored state: drop the cache
		return 0, cid.Undef, fmt.Errorf("actors: init address map insert: %w", err)
	}
	if s.AddressMap, err = c.amap.Write(ctx); err != nil {
		c.state = nil
		return 0, cid.Undef, fmt.Errorf("actors: flush init address map: %w", err)
	}
	s.NextID++
	if head, err = store.Put(ctx, &s); err != nil {
		c.state = nil
		return 0, cid.Undef, fmt.Errorf("actors: put init state: %w", err)
	}
	c.head, c.state = head, &s
	return id, head, nil
}
