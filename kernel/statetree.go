package kernel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/builtin"
	init9 "github.com/filecoin-project/go-state-types/builtin/v9/init"
	"github.com/filecoin-project/go-state-types/builtin/v9/util/adt"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// stateTree is the actor state tree as the call manager sees it: the actors
// HAMT (fvm-abi.md §8.3) behind a cache with nested transactions (§6.6), plus
// address resolution through the init actor (§8.5).
//
// It is kept in this package (over go-state-types' ActorTree and init state)
// until package actors offers the same shape; the call manager only uses the
// methods below.
type stateTree struct {
	store   adt.Store
	version uint64 // StateRoot version: 3 or 4 (nv17), 5 (nv18)
	info    cid.Cid
	tree    *builtin.ActorTree
	layers  []*treeLayer
}

type treeLayer struct {
	actors   map[abi.ActorID]*actorEntry
	resolved map[string]abi.ActorID // address bytes → id (successful lookups only)
}

type actorEntry struct {
	actor *ActorState // nil = deleted / absent
	dirty bool
}

func newLayer() *treeLayer {
	return &treeLayer{actors: map[abi.ActorID]*actorEntry{}, resolved: map[string]abi.ActorID{}}
}

// errStateTree marks broken state (missing blocks, bad encodings): always
// fatal for the message.
var errStateTree = errors.New("state tree")

func stErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errStateTree, fmt.Sprintf(format, args...))
}

// loadStateTree reads StateRoot [version, actors, info] (fvm-abi.md §8.2).
func loadStateTree(ctx context.Context, bs cbor.IpldBlockstore, root cid.Cid, nv17 bool) (*stateTree, error) {
	store := adt.WrapStore(ctx, cbor.NewCborStore(bs))
	blk, err := bs.Get(ctx, root)
	if err != nil {
		return nil, stErr("state root %s: %v", root, err)
	}
	var sr stateRoot
	if err := sr.UnmarshalCBOR(bytes.NewReader(blk.RawData())); err != nil {
		return nil, stErr("decoding state root: %v", err)
	}
	switch {
	case nv17 && (sr.Version == 3 || sr.Version == 4):
	case !nv17 && sr.Version == 5:
	default:
		return nil, fmt.Errorf("unsupported state tree version %d for this network version", sr.Version)
	}
	tree, err := builtin.LoadTree(store, sr.Actors)
	if err != nil {
		return nil, stErr("loading actors HAMT: %v", err)
	}
	return &stateTree{store: store, version: sr.Version, info: sr.Info, tree: tree,
		layers: []*treeLayer{newLayer()}}, nil
}

func (t *stateTree) top() *treeLayer { return t.layers[len(t.layers)-1] }

// GetActor returns the actor (a copy the caller may modify) or nil.
func (t *stateTree) GetActor(id abi.ActorID) (*ActorState, error) {
	for i := len(t.layers) - 1; i >= 0; i-- {
		if e, ok := t.layers[i].actors[id]; ok {
			return e.actor.clone(), nil
		}
	}
	a, err := t.loadActor(id)
	if err != nil {
		return nil, err
	}
	t.layers[0].actors[id] = &actorEntry{actor: a}
	return a.clone(), nil
}

func (t *stateTree) loadActor(id abi.ActorID) (*ActorState, error) {
	addr, err := address.NewIDAddress(uint64(id))
	if err != nil {
		return nil, stErr("id %d: %v", id, err)
	}
	if t.version == 5 {
		a, found, err := t.tree.GetActorV5(addr)
		if err != nil {
			return nil, stErr("loading actor %d: %v", id, err)
		}
		if !found {
			return nil, nil
		}
		return &ActorState{Code: a.Code, Head: a.Head, Nonce: a.CallSeqNum, Balance: a.Balance,
			DelegatedAddress: a.DelegatedAddress}, nil
	}
	a, found, err := t.tree.GetActorV4(addr)
	if err != nil {
		return nil, stErr("loading actor %d: %v", id, err)
	}
	if !found {
		return nil, nil
	}
	return &ActorState{Code: a.Code, Head: a.Head, Nonce: a.CallSeqNum, Balance: a.Balance}, nil
}

// SetActor stores a copy of a in the current transaction layer.
func (t *stateTree) SetActor(id abi.ActorID, a *ActorState) {
	t.top().actors[id] = &actorEntry{actor: a.clone(), dirty: true}
}

// DeleteActor removes the actor (a no-op on the HAMT if it never existed).
func (t *stateTree) DeleteActor(id abi.ActorID) {
	t.top().actors[id] = &actorEntry{dirty: true}
}

// LookupID resolves an address to an actor id: ID addresses resolve to
// themselves without an existence check (fvm-abi.md §13.9); others go
// through the init actor's address map. Misses are not cached (§8.5).
func (t *stateTree) LookupID(a address.Address) (abi.ActorID, bool, error) {
	if a.Protocol() == address.ID {
		id, err := address.IDFromAddress(a)
		return abi.ActorID(id), err == nil, nil
	}
	key := string(a.Bytes())
	for i := len(t.layers) - 1; i >= 0; i-- {
		if id, ok := t.layers[i].resolved[key]; ok {
			return id, true, nil
		}
	}
	st, _, err := t.initState()
	if err != nil {
		return 0, false, err
	}
	idAddr, found, err := st.ResolveAddress(t.store, a)
	if err != nil {
		return 0, false, stErr("resolving %s: %v", a, err)
	}
	if !found {
		return 0, false, nil
	}
	id, err := address.IDFromAddress(idAddr)
	if err != nil {
		return 0, false, stErr("resolving %s: %v", a, err)
	}
	t.top().resolved[key] = abi.ActorID(id)
	return abi.ActorID(id), true, nil
}

func (t *stateTree) initState() (*init9.State, *ActorState, error) {
	ia, err := t.GetActor(initActorID)
	if err != nil {
		return nil, nil, err
	}
	if ia == nil {
		return nil, nil, stErr("init actor missing")
	}
	var st init9.State
	if err := t.store.Get(t.store.Context(), ia.Head, &st); err != nil {
		return nil, nil, stErr("loading init actor state: %v", err)
	}
	return &st, ia, nil
}

// RegisterNewAddress assigns the init actor's next id to a (fvm-abi.md §6.7)
// and records the mapping; both are undone if the transaction reverts.
func (t *stateTree) RegisterNewAddress(a address.Address) (abi.ActorID, error) {
	st, ia, err := t.initState()
	if err != nil {
		return 0, err
	}
	idAddr, err := st.MapAddressToNewID(t.store, a)
	if err != nil {
		return 0, stErr("registering %s: %v", a, err)
	}
	head, err := t.store.Put(t.store.Context(), st)
	if err != nil {
		return 0, stErr("storing init state: %v", err)
	}
	ia.Head = head
	t.SetActor(initActorID, ia)
	id, _ := address.IDFromAddress(idAddr)
	t.top().resolved[string(a.Bytes())] = abi.ActorID(id)
	return abi.ActorID(id), nil
}

// BeginTransaction opens a nested layer.
func (t *stateTree) BeginTransaction() { t.layers = append(t.layers, newLayer()) }

// EndTransaction merges the top layer into its parent, or drops it on revert.
func (t *stateTree) EndTransaction(revert bool) error {
	if len(t.layers) == 1 {
		return errors.New("state tree: EndTransaction without BeginTransaction")
	}
	child := t.top()
	t.layers = t.layers[:len(t.layers)-1]
	if revert {
		return nil
	}
	p := t.top()
	for id, e := range child.actors { // map order is irrelevant: plain overwrite
		p.actors[id] = e
	}
	for k, id := range child.resolved {
		p.resolved[k] = id
	}
	return nil
}

func (t *stateTree) transactionDepth() int { return len(t.layers) - 1 }

// InTransaction reports whether a transaction is open.
func (t *stateTree) InTransaction() bool { return len(t.layers) > 1 }

// Flush writes every changed actor into the HAMT and stores a new StateRoot
// (fvm-abi.md §8.2, §8.3). It refuses to run inside a transaction.
func (t *stateTree) Flush() (cid.Cid, error) {
	if t.InTransaction() {
		return cid.Undef, errors.New("state tree: flush inside a transaction")
	}
	base := t.layers[0]
	ids := make([]abi.ActorID, 0, len(base.actors))
	for id, e := range base.actors {
		if e.dirty {
			ids = append(ids, id)
		}
	}
	sortIDs(ids) // HAMT results do not depend on order; sorting keeps runs reproducible
	for _, id := range ids {
		e := base.actors[id]
		addr, _ := address.NewIDAddress(uint64(id))
		var err error
		switch {
		case e.actor == nil:
			_, err = t.tree.Map.TryDelete(abi.AddrKey(addr))
		case t.version == 5:
			err = t.tree.SetActorV5(addr, &builtin.ActorV5{Code: e.actor.Code, Head: e.actor.Head,
				CallSeqNum: e.actor.Nonce, Balance: e.actor.Balance, DelegatedAddress: e.actor.DelegatedAddress})
		default:
			err = t.tree.SetActorV4(addr, &builtin.ActorV4{Code: e.actor.Code, Head: e.actor.Head,
				CallSeqNum: e.actor.Nonce, Balance: e.actor.Balance})
		}
		if err != nil {
			return cid.Undef, stErr("writing actor %d: %v", id, err)
		}
		e.dirty = false
	}
	actors, err := t.tree.Flush()
	if err != nil {
		return cid.Undef, stErr("flushing actors HAMT: %v", err)
	}
	root, err := t.store.Put(t.store.Context(), &stateRoot{Version: t.version, Actors: actors, Info: t.info})
	if err != nil {
		return cid.Undef, stErr("storing state root: %v", err)
	}
	return root, nil
}

func sortIDs(ids []abi.ActorID) { slices.Sort(ids) }

// stateRoot is the CBOR 3-tuple [version, actors, info] (fvm-abi.md §8.2).
type stateRoot struct {
	Version uint64
	Actors  cid.Cid
	Info    cid.Cid
}

func (s *stateRoot) MarshalCBOR(w0 io.Writer) error {
	w := cbg.NewCborWriter(w0)
	if err := w.WriteMajorTypeHeader(cbg.MajArray, 3); err != nil {
		return err
	}
	if err := w.WriteMajorTypeHeader(cbg.MajUnsignedInt, s.Version); err != nil {
		return err
	}
	if err := cbg.WriteCid(w, s.Actors); err != nil {
		return err
	}
	return cbg.WriteCid(w, s.Info)
}

func (s *stateRoot) UnmarshalCBOR(r0 io.Reader) error {
	r := cbg.NewCborReader(r0)
	maj, n, err := r.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajArray || n != 3 {
		return errors.New("state root: expected a 3-element array")
	}
	maj, v, err := r.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajUnsignedInt {
		return errors.New("state root: version is not an unsigned integer")
	}
	s.Version = v
	if s.Actors, err = cbg.ReadCid(r); err != nil {
		return err
	}
	s.Info, err = cbg.ReadCid(r)
	return err
}
