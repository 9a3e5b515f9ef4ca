package actors

import (
	"context"
	"fmt"
	"io"

	"github.com/filecoin-project/go-state-types/manifest"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/rules"
)

// Manifest is the builtin-actors manifest in force (fvm-abi.md §8.1): the
// [name, code CID] list the system actor's state points at. A builtin actor
// type is the 1-based position of its entry; 0 means "not builtin".
type Manifest struct {
	// Data is the manifest data CID (the list itself).
	Data    cid.Cid
	rules   *rules.Rules
	entries []manifest.ManifestEntry
	byCode  map[cid.Cid]int32
	byName  map[string]int32
}

// requiredNames are the entries the FVM refuses to start without
// (fvm/src/machine/manifest.rs at fvm@v2.12.1 and fvm@v3.1.0): the account,
// system and init actors, and with delegated addresses the placeholder, EAM
// and Ethereum account actors the kernel creates or recognises itself.
func requiredNames(r *rules.Rules) []string {
	if r.DelegatedAddresses {
		return []string{"account", "system", "init", "placeholder", "eam", "ethaccount"}
	}
	return []string{"account", "system", "init"}
}

// singletonNames are the codes v2's create_actor refuses to instantiate
// (SINGLETON_ACTOR_NAMES, fvm/src/machine/manifest.rs @fvm@v2.12.1). datacap
// is not in the list. v3 has no such check (only placeholder is refused, in
// the call manager).
var singletonNames = map[string]bool{
	"system": true, "init": true, "reward": true, "cron": true,
	"storagepower": true, "storagemarket": true, "verifiedregistry": true,
}

// NewManifest builds a manifest from its entries, checking the names the
// network version requires.
func NewManifest(data cid.Cid, entries []manifest.ManifestEntry, nv network.Version) (*Manifest, error) {
	r, err := rules.For(nv)
	if err != nil {
		return nil, fmt.Errorf("actors: %w", err)
	}
	m := &Manifest{
		Data: data, rules: r,
		entries: append([]manifest.ManifestEntry(nil), entries...),
		byCode:  make(map[cid.Cid]int32, len(entries)),
		byName:  make(map[string]int32, len(entries)),
	}
	for i, e := range m.entries {
		// Later duplicates win, as the reference's HashMap inserts do.
		m.byCode[e.Code] = int32(i + 1)
		m.byName[e.Name] = int32(i + 1)
	}
	for _, n := range requiredNames(r) {
		if _, ok := m.byName[n]; !ok {
			return nil, fmt.Errorf("actors: manifest %s lacks the %q actor", data, n)
		}
	}
	return m, nil
}

// LoadManifest reads the manifest data block (a CBOR list of [name, code]).
func LoadManifest(ctx context.Context, store cbor.IpldStore, data cid.Cid, nv network.Version) (m *Manifest, err error) {
	defer recoverTo(&err)
	var d manifest.ManifestData
	if err := store.Get(ctx, data, &d); err != nil {
		return nil, fmt.Errorf("actors: load manifest data %s: %w", data, err)
	}
	return NewManifest(data, d.Entries, nv)
}

// systemState is the system actor's state, the 1-tuple [builtin_actors].
type systemState struct{ BuiltinActors cid.Cid }

func (s *systemState) UnmarshalCBOR(r io.Reader) (err error) {
	defer recoverTo(&err)
	cr := cbg.NewCborReader(r)
	maj, n, err := cr.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajArray || n != 1 {
		return fmt.Errorf("actors: system state must be a 1-array, got major %d length %d", maj, n)
	}
	s.BuiltinActors, err = cbg.ReadCid(cr)
	return err
}

func (s *systemState) MarshalCBOR(w io.Writer) error {
	cw := cbg.NewCborWriter(w)
	if err := cw.WriteMajorTypeHeader(cbg.MajArray, 1); err != nil {
		return err
	}
	return cbg.WriteCid(cw, s.BuiltinActors)
}

// ManifestFromState reads the manifest the system actor (id 0) points at,
// as mainnet does (no override, fvm-abi.md §8.1).
func ManifestFromState(st *StateTree) (*Manifest, error) {
	sys, err := st.GetActor(SystemActorID)
	if err != nil {
		return nil, err
	}
	if sys == nil {
		return nil, fmt.Errorf("actors: system actor (id 0) not found")
	}
	var s systemState
	if err := st.store.Get(st.ctx, sys.Head, &s); err != nil {
		return nil, fmt.Errorf("actors: load system state %s: %w", sys.Head, err)
	}
	return LoadManifest(st.ctx, st.store, s.BuiltinActors, st.NetworkVersion())
}

// Entries returns the [name, code] list in manifest order.
func (m *Manifest) Entries() []manifest.ManifestEntry {
	return append([]manifest.ManifestEntry(nil), m.entries...)
}

// TypeOf is the builtin type of a code CID (1-based position), 0 if none.
func (m *Manifest) TypeOf(code cid.Cid) int32 { return m.byCode[code] }

// CodeFor is the code CID of a builtin type.
func (m *Manifest) CodeFor(typ int32) (cid.Cid, bool) {
	if typ < 1 || int(typ) > len(m.entries) {
		return cid.Undef, false
	}
	return m.entries[typ-1].Code, true
}

// CodeByName is the code CID of a named builtin actor ("account", "evm", …).
func (m *Manifest) CodeByName(name string) (cid.Cid, bool) {
	t, ok := m.byName[name]
	if !ok {
		return cid.Undef, false
	}
	return m.entries[t-1].Code, true
}

// NameOf is the manifest name of a builtin type ("" if none).
func (m *Manifest) NameOf(typ int32) string {
	if typ < 1 || int(typ) > len(m.entries) {
		return ""
	}
	return m.entries[typ-1].Name
}

// IsSingleton reports whether v2's create_actor refuses the type (Forbidden).
// Always false where the rules have no singleton check (v3 and later).
func (m *Manifest) IsSingleton(typ int32) bool {
	if !m.rules.CreateActorSingletons {
		return false
	}
	return singletonNames[m.NameOf(typ)]
}

func (m *Manifest) is(name string, code cid.Cid) bool {
	c, ok := m.CodeByName(name)
	return ok && c == code
}

// IsAccount, IsPlaceholder and IsEthAccount test a code CID.
func (m *Manifest) IsAccount(code cid.Cid) bool     { return m.is("account", code) }
func (m *Manifest) IsPlaceholder(code cid.Cid) bool { return m.is("placeholder", code) }
func (m *Manifest) IsEthAccount(code cid.Cid) bool  { return m.is("ethaccount", code) }

// Len is the number of builtin actors.
func (m *Manifest) Len() int { return len(m.entries) }
