package book

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/chain"
	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/book/internal/scenarios"
	"github.com/gofvm/gofvm/genesis"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/rules"
)

// WorldOptions say how to build one network version's world.
type WorldOptions struct {
	Bundles        string
	NetworkVersion network.Version
	Engine         kernel.Engine
	Reachability   Reachability
	Record         bool
}

// RefusedError is a network version the kernel does not run.
type RefusedError struct {
	NetworkVersion network.Version
	Err            error
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the kernel does not run nv%d: %v", e.NetworkVersion, e.Err)
}

func (e *RefusedError) Unwrap() error { return e.Err }

// Genesis accounts: name, key, balance in FIL.
var genesisAccounts = []struct {
	name string
	key  func() *keys.Key
	fil  int64
}{
	{scenarios.Alice, func() *keys.Key { return keys.Secp256k1("alice") }, 1_000_000},
	{scenarios.Bob, func() *keys.Key { return keys.Secp256k1("bob") }, 1_000_000},
	{scenarios.Carol, func() *keys.Key { return keys.BLS("carol") }, 1_000_000},
	{scenarios.Dave, func() *keys.Key { return keys.Secp256k1("dave") }, 1_000_000},
}

// NewWorld loads the mainnet bundle of nv's actors version and builds its
// genesis: the singletons, the root key (f080, key "root", 1,000 FIL), the
// accounts alice, bob and dave (secp256k1) and carol (BLS) with a million FIL
// each from id 100, and the reserve (key "reserve"). It returns a
// RefusedError when the kernel does not run nv.
func NewWorld(ctx context.Context, o WorldOptions) (*scenario.World, error) {
	r, err := rules.For(o.NetworkVersion)
	if err != nil {
		return nil, err
	}
	store := chain.NewStore()
	bm, _, err := genesis.LoadMainnetBundle(ctx, o.Bundles, r.ActorsVersion, store.PutBlock)
	if err != nil {
		return nil, err
	}
	tmpl := genesis.Template{NetworkName: "gofvm-book",
		RootKey: genesis.Account{Address: keys.Secp256k1("root").Address, Balance: scenarios.FIL(1000)},
		Reserve: keys.Secp256k1("reserve").Address}
	accounts := map[string]*scenario.Account{}
	root := keys.Secp256k1("root")
	// The root key sends as f080 (genesis does not map its key address).
	rootID, _ := address.NewIDAddress(uint64(genesis.RootKeyID))
	accounts[scenarios.Root] = &scenario.Account{Name: scenarios.Root, Key: root, Addr: rootID, ID: genesis.RootKeyID}
	for _, a := range genesisAccounts {
		k := a.key()
		tmpl.Accounts = append(tmpl.Accounts, genesis.Account{Address: k.Address, Balance: scenarios.FIL(a.fil)})
		accounts[a.name] = &scenario.Account{Name: a.name, Key: k, Addr: k.Address}
	}
	g, err := genesis.Build(ctx, store, o.NetworkVersion, bm, tmpl)
	if err != nil {
		return nil, err
	}
	for i, a := range genesisAccounts {
		accounts[a.name].ID = g.Accounts[i]
	}
	actors, err := av.For(r.ActorsVersion)
	if err != nil {
		return nil, err
	}
	mode, err := reachabilityMode(o.Reachability)
	if err != nil {
		return nil, err
	}
	w := &scenario.World{NetworkVersion: o.NetworkVersion, ActorsVersion: r.ActorsVersion, Actors: actors,
		Codes: g.Codes, Store: store, Genesis: g.Root, Accounts: accounts, Engine: o.Engine,
		Verifier: proofVerifier(), Reachability: mode, Cron: true, Record: o.Record}
	// Does the kernel run this version? Building a machine says so.
	if _, err := kernel.NewMachine(ctx, store.Copy(), g.Root, o.NetworkVersion, kernel.WithEngine(o.Engine)); err != nil {
		if errors.Is(err, kernel.ErrUnsupportedNetworkVersion) {
			return nil, &RefusedError{NetworkVersion: o.NetworkVersion, Err: err}
		}
		return nil, fmt.Errorf("book: a machine on the nv%d genesis: %w", o.NetworkVersion, err)
	}
	return w, nil
}

func reachabilityMode(r Reachability) (kernel.ReachabilityMode, error) {
	switch r {
	case Strict, "":
		return kernel.ReachabilityStrict, nil
	case Compat:
		return kernel.ReachabilityCompat, nil
	}
	return 0, fmt.Errorf("book: reachability %q: want strict or compat", r)
}

func joinLines(ls []string) string { return strings.Join(ls, "\n") }

func indent(s string) string {
	return "        " + strings.ReplaceAll(s, "\n", "\n        ")
}
