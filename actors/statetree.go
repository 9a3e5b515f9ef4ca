package actors

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/filecoin-project/go-address"
	hamt "github.com/filecoin-project/go-hamt-ipld/v3"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/rules"
)

// HAMT parameters of the actors HAMT and the init address map (fvm-abi.md
// §8.3, §8.5): bit width 5, SHA-256 key hash, 3 entries per bucket (the
// go-hamt-ipld/v3 default).
const hamtBitWidth = 5

func hamtOptions() []hamt.Option {
	return []hamt.Option{hamt.UseTreeBitWidth(hamtBitWidth), hamt.UseHashFunction(sha256Hash)}
}

func sha256Hash(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

// Well-known actor ids (fvm-abi.md §8.6).
const (
	SystemActorID     abi.ActorID = 0
	InitActorID       abi.ActorID = 1
	RewardActorID     abi.ActorID = 2
	CronActorID       abi.ActorID = 3
	PowerActorID      abi.ActorID = 4
	MarketActorID     abi.ActorID = 5
	VerifRegActorID   abi.ActorID = 6
	DatacapActorID    abi.ActorID = 7
	EAMActorID        abi.ActorID = 10
	BurntFundsActorID abi.ActorID = 99
	FirstNonSingleton abi.ActorID = 100
)

// ErrInTransaction is returned by Flush while a transaction is open.
var ErrInTransaction = errors.New("actors: cannot flush inside a transaction")

// ErrNoTransaction is returned by EndTransaction without a matching begin.
var ErrNoTransaction = errors.New("actors: no open transaction")

// StateTree is the actor state tree over an IPLD store: the actors HAMT
// behind a cache, address resolution through the init actor, and nested
// transactions (fvm-abi.md §6.6, §8).
//
// Transactions use an undo log (the v3 design). v2's stack of cache layers
// gives the same observable results: a reverted transaction forgets every
// actor write, deletion, resolution-cache entry and address registration made
// inside it. Reads fill the cache with the base value and need no undo.
//
// A StateTree is not safe for concurrent use.
type StateTree struct {
	ctx     context.Context
	store   cbor.IpldStore
	rules   *rules.Rules
	version uint64
	info    cid.Cid
	actors  *hamt.Node

	cache    map[abi.ActorID]*cacheEntry
	resolved map[string]abi.ActorID
	undo     []treeUndo
	layers   []int

	init initCache
}

type cacheEntry struct {
	actor *Actor // nil: absent or deleted
	dirty bool
}

type treeUndo struct {
	id      abi.ActorID
	prev    *cacheEntry // nil: not cached before
	address string      // non-empty: a resolution-cache entry to forget
}

// treeRules are the rules of nv: the StateRoot version it creates and the
// ones it loads (fvm-abi.md §8.2: v2 loads 3 and 4, v3 and v4 only 5).
func treeRules(nv network.Version) (*rules.Rules, error) {
	r, err := rules.For(nv)
	if err != nil {
		return nil, fmt.Errorf("actors: %w", err)
	}
	return r, nil
}

// NewStateTree starts an empty tree for nv (StateRoot v4 or v5), writing the
// empty-array info block.
func NewStateTree(ctx context.Context, store cbor.IpldStore, nv network.Version) (*StateTree, error) {
	r, err := treeRules(nv)
	if err != nil {
		return nil, err
	}
	info, err := store.Put(ctx, emptyArray{})
	if err != nil {
		return nil, fmt.Errorf("actors: put state info: %w", err)
	}
	root, err := hamt.NewNode(store, hamtOptions()...)
	if err != nil {
		return nil, err
	}
	return newTree(ctx, store, r, r.StateRootVersion, info, root), nil
}

// LoadStateTree opens the tree at a StateRoot CID. Missing or malformed
// blocks are errors.
func LoadStateTree(ctx context.Context, store cbor.IpldStore, root cid.Cid, nv network.Version) (st *StateTree, err error) {
	defer recoverTo(&err)
	r, err := treeRules(nv)
	if err != nil {
		return nil, err
	}
	var sr StateRoot
	if err := store.Get(ctx, root, &sr); err != nil {
		return nil, fmt.Errorf("actors: load state root %s: %w", root, err)
	}
	if !slices.Contains(r.StateRootVersionsLoaded, sr.Version) {
		return nil, fmt.Errorf("actors: state root version %d not supported at nv%d", sr.Version, nv)
	}
	node, err := hamt.LoadNode(ctx, store, sr.Actors, hamtOptions()...)
	if err != nil {
		return nil, fmt.Errorf("actors: load actors HAMT %s: %w", sr.Actors, err)
	}
	return newTree(ctx, store, r, sr.Version, sr.Info, node), nil
}

func newTree(ctx context.Context, store cbor.IpldStore, r *rules.Rules, v uint64, info cid.Cid, node *hamt.Node) *StateTree {
	return &StateTree{
		ctx: ctx, store: store, rules: r, version: v, info: info, actors: node,
		cache:    make(map[abi.ActorID]*cacheEntry, 64),
		resolved: make(map[string]abi.ActorID, 16),
	}
}

// Store is the tree's IPLD store.
func (st *StateTree) Store() cbor.IpldStore { return st.store }

// Version is the StateRoot version (3/4 at nv17, 5 at nv18).
func (st *StateTree) Version() uint64 { return st.version }

// NetworkVersion is the network version the tree was opened for.
func (st *StateTree) NetworkVersion() network.Version { return st.rules.NetworkVersion }

// Rules are the rules of the network version the tree was opened for.
func (st *StateTree) Rules() *rules.Rules { return st.rules }

func idKey(id abi.ActorID) string {
	a, _ := address.NewIDAddress(uint64(id))
	return string(a.Bytes())
}

// GetActor returns a copy of actor id, or nil, nil when it does not exist.
func (st *StateTree) GetActor(id abi.ActorID) (*Actor, error) {
	e, err := st.entry(id)
	if err != nil || e.actor == nil {
		return nil, err
	}
	return e.actor.Copy(), nil
}

func (st *StateTree) entry(id abi.ActorID) (e *cacheEntry, err error) {
	if e, ok := st.cache[id]; ok {
		return e, nil
	}
	defer recoverTo(&err)
	found, raw, err := st.actors.FindRaw(st.ctx, idKey(id))
	if err != nil {
		return nil, fmt.Errorf("actors: lookup actor %d: %w", id, err)
	}
	e = &cacheEntry{}
	if found {
		if e.actor, err = decodeActor(raw, st.version); err != nil {
			return nil, fmt.Errorf("actors: actor %d: %w", id, err)
		}
	}
	st.cache[id] = e
	return e, nil
}

// SetActor stores a copy of a as actor id.
func (st *StateTree) SetActor(id abi.ActorID, a *Actor) error {
	if a == nil {
		return fmt.Errorf("actors: SetActor(%d, nil): use DeleteActor", id)
	}
	if st.version < 5 && a.DelegatedAddress != nil {
		return fmt.Errorf("actors: state tree v%d cannot store a delegated address", st.version)
	}
	st.put(id, &cacheEntry{actor: a.Copy(), dirty: true})
	return nil
}

// DeleteActor removes actor id (whether or not it exists, as the reference).
func (st *StateTree) DeleteActor(id abi.ActorID) error {
	st.put(id, &cacheEntry{dirty: true})
	return nil
}

func (st *StateTree) put(id abi.ActorID, e *cacheEntry) {
	if len(st.layers) > 0 {
		st.undo = append(st.undo, treeUndo{id: id, prev: st.cache[id]})
	}
	st.cache[id] = e
}

// LookupID resolves an address to an actor id: an ID address to itself
// without any existence check; any other through the init actor's address
// map. Successful lookups are cached (rolled back with transactions); misses
// are not.
func (st *StateTree) LookupID(a address.Address) (abi.ActorID, bool, error) {
	if a.Protocol() == address.ID {
		id, err := address.IDFromAddress(a)
		return abi.ActorID(id), err == nil, err
	}
	if a == address.Undef {
		return 0, false, fmt.Errorf("actors: lookup of the undefined address")
	}
	k := string(a.Bytes())
	if id, ok := st.resolved[k]; ok {
		return id, true, nil
	}
	in, err := st.loadInit()
	if err != nil {
		return 0, false, err
	}
	id, found, err := in.lookup(st.ctx, a)
	if err != nil || !found {
		return 0, false, err
	}
	st.cacheResolution(k, id)
	return id, true, nil
}

func (st *StateTree) cacheResolution(k string, id abi.ActorID) {
	if _, ok := st.resolved[k]; !ok && len(st.layers) > 0 {
		st.undo = append(st.undo, treeUndo{address: k})
	}
	st.resolved[k] = id
}

// RegisterNewAddress assigns the init actor's next id to a (next_id += 1,
// address map insert, init state re-stored as blake2b-256 DAG-CBOR), as the
// FVM does when a send auto-creates an actor (fvm-abi.md §6.7, §8.5).
func (st *StateTree) RegisterNewAddress(a address.Address) (abi.ActorID, error) {
	if a.Protocol() == address.ID || a == address.Undef {
		return 0, fmt.Errorf("actors: cannot register address %s", a)
	}
	in, err := st.loadInit()
	if err != nil {
		return 0, err
	}
	id, head, err := in.register(st.ctx, st.store, a)
	if err != nil {
		return 0, err
	}
	initActor, err := st.GetActor(InitActorID)
	if err != nil {
		return 0, err
	}
	initActor.Head = head
	if err := st.SetActor(InitActorID, initActor); err != nil {
		return 0, err
	}
	st.cacheResolution(string(a.Bytes()), id)
	return id, nil
}

// BeginTransaction opens a nested transaction.
func (st *StateTree) BeginTransaction() { st.layers = append(st.layers, len(st.undo)) }

// InTransaction reports whether a transaction is open.
func (st *StateTree) InTransaction() bool { return len(st.layers) > 0 }

// EndTransaction closes the innermost transaction; revert undoes everything
// done inside it.
func (st *StateTree) EndTransaction(revert bool) error {
	if len(st.layers) == 0 {
		return ErrNoTransaction
	}
	h := st.layers[len(st.layers)-1]
	st.layers = st.layers[:len(st.layers)-1]
	if revert {
		for i := len(st.undo) - 1; i >= h; i-- {
			u := st.undo[i]
			switch {
			case u.address != "":
				delete(st.resolved, u.address)
			case u.prev == nil:
				delete(st.cache, u.id)
			default:
				st.cache[u.id] = u.prev
			}
		}
		st.undo = st.undo[:h]
	}
	if len(st.layers) == 0 {
		st.undo = st.undo[:0]
	}
	return nil
}

// Flush writes dirty actors into the HAMT in ascending id order, flushes it
// and stores the StateRoot (DAG-CBOR, blake2b-256). It refuses to run inside
// a transaction.
func (st *StateTree) Flush() (c cid.Cid, err error) {
	if len(st.layers) > 0 {
		return cid.Undef, ErrInTransaction
	}
	defer recoverTo(&err)
	ids := make([]abi.ActorID, 0, len(st.cache))
	for id, e := range st.cache {
		if e.dirty {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		e := st.cache[id]
		if e.actor == nil {
			if _, err := st.actors.Delete(st.ctx, idKey(id)); err != nil {
				return cid.Undef, fmt.Errorf("actors: delete actor %d: %w", id, err)
			}
		} else {
			raw, err := encodeActor(e.actor, st.version)
			if err != nil {
				return cid.Undef, err
			}
			if err := st.actors.SetRaw(st.ctx, idKey(id), raw); err != nil {
				return cid.Undef, fmt.Errorf("actors: set actor %d: %w", id, err)
			}
		}
		// Entries are shared with nothing once clean; replace rather than
		// mutate so no undo record can observe the change.
		st.cache[id] = &cacheEntry{actor: e.actor}
	}
	root, err := st.actors.Write(st.ctx)
	if err != nil {
		return cid.Undef, fmt.Errorf("actors: flush actors HAMT: %w", err)
	}
	c, err = st.store.Put(st.ctx, &StateRoot{Version: st.version, Actors: root, Info: st.info})
	if err != nil {
		return cid.Undef, fmt.Errorf("actors: put state root: %w", err)
	}
	return c, nil
}

// ForEach calls f for every actor in the flushed HAMT in HAMT order (not the
// cache; flush first to see pending writes).
func (st *StateTree) ForEach(f func(id abi.ActorID, a *Actor) error) (err error) {
	defer recoverTo(&err)
	return st.actors.ForEach(st.ctx, func(k string, v *cbg.Deferred) error {
		addr, err := address.NewFromBytes([]byte(k))
		if err != nil {
			return err
		}
		id, err := address.IDFromAddress(addr)
		if err != nil {
			return err
		}
		a, err := decodeActor(v.Raw, st.version)
		if err != nil {
			return err
		}
		return f(abi.ActorID(id), a)
	})
}
