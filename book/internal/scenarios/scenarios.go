// Package scenarios is the book: workflows of the real builtin actors, each
// step asserting its exit code and the state effects the actors define
// (builtin-actors source and integration tests at the bundle's tag; the
// go-state-types types of the same version). Where an actor behaves
// differently by design at some version, the expectation says so and cites
// the actors' source.
package scenarios

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// All is the book, in the order it runs.
func All() []*scenario.Scenario {
	return []*scenario.Scenario{
		Sends,
		Multisig,
		Miner,
		Deals,
		Verified,
		Onboarding,
		Rewards,
		EVM,
		MinerControl,
		Paych,
		Vesting,
	}
}

// FIL is n whole FIL in attoFIL.
func FIL(n int64) abi.TokenAmount { return big.Mul(big.NewInt(n), genesis.FIL) }

// Genesis account names (book.NewWorld makes them).
const (
	Alice = "alice" // secp256k1
	Bob   = "bob"   // secp256k1
	Carol = "carol" // BLS
	Dave  = "dave"  // secp256k1
	Root  = "root"  // the verified registry's root key (f080)
)

// since is an Applies function: the scenario needs actors version v.
func since(v int, what string) func(w *scenario.World) (bool, string) {
	return func(w *scenario.World) (bool, string) {
		if w.ActorsVersion < v {
			return false, what
		}
		return true, ""
	}
}
