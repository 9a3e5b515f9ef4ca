// Package testworld builds a scenario.World over gofvm's own test actors
// (package actors/testactors), so that the book's machinery is tested
// without the real bundles.
package testworld

import (
	"context"
	"sync"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/book/internal/chain"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/kernel"
)

var (
	engOnce sync.Once
	eng     kernel.Engine
	engErr  error
)

// Engine is one shared compiler engine for the tests.
func Engine() (kernel.Engine, error) {
	engOnce.Do(func() { eng, engErr = kernel.NewWasmEngine(context.Background()) })
	return eng, engErr
}

// New is the test actors' genesis at nv (17 or 18) as a world: accounts
// alice, bob (f1) and carol (f3) without keys, testers at ids 103 and 104.
func New(ctx context.Context, nv network.Version, record bool) (*scenario.World, *testactors.Genesis, error) {
	g, err := testactors.NewGenesis(ctx, nv)
	if err != nil {
		return nil, nil, err
	}
	e, err := Engine()
	if err != nil {
		return nil, nil, err
	}
	store := chain.NewStore()
	for _, b := range g.Store.Blocks() {
		if err := store.PutBlock(b); err != nil {
			return nil, nil, err
		}
	}
	acc := map[string]*scenario.Account{
		"alice": {Name: "alice", Addr: g.Alice, ID: testactors.AliceID},
		"bob":   {Name: "bob", Addr: g.Bob, ID: testactors.BobID},
		"carol": {Name: "carol", Addr: g.Carol, ID: testactors.CarolID},
	}
	w := &scenario.World{NetworkVersion: nv, Codes: g.Bundle.Codes, Store: store, Genesis: g.Root,
		Accounts: acc, Engine: e, Reachability: kernel.ReachabilityStrict, Record: record}
	return w, g, nil
}
