// Package genesis builds the genesis state tree of a chain that runs a real
// builtin-actors bundle (v8 … v18) at a network version from 16 to 28, the
// way Lotus's genesis builder does (chain/gen/genesis, MakeInitialStateTree
// and SetupEAM / SetupEthNullAddresses): the singleton actors with states
// made by go-state-types for the bundle's actors version, burnt funds, the
// verified-registry root key, a few key accounts and the reserve holding the
// remaining FIL. Everything else (miners, multisigs, contracts) is created
// afterwards by messages through the actors' own methods.
//
// Nothing is executed here: the result is a state root in the given
// blockstore, ready for kernel.NewMachine.
package genesis

import (
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/genesis/internal/states"
	"github.com/gofvm/gofvm/rules"
)

// Well-known actor ids: the singletons (builtin-actors runtime/src/builtin/
// singletons.rs) and the ids Lotus's genesis gives the root key, the reserve
// and the first accounts (chain/gen/genesis/genesis.go, f01_init.go).
const (
	SystemID       abi.ActorID = 0
	InitID         abi.ActorID = 1
	RewardID       abi.ActorID = 2
	CronID         abi.ActorID = 3
	PowerID        abi.ActorID = 4
	MarketID       abi.ActorID = 5
	VerifregID     abi.ActorID = 6
	DatacapID      abi.ActorID = 7 // actors v9+
	EAMID          abi.ActorID = 10
	RootKeyID      abi.ActorID = 80 // the verified registry's root key holder
	ReserveID      abi.ActorID = 90 // the remainder account
	BurntFundsID   abi.ActorID = 99
	FirstAccountID abi.ActorID = 100 // Template.Accounts, in order
	// FirstCreatedID is the init actor's next id at genesis (Lotus's
	// MinerStart): ids 100…999 are reserved for genesis accounts. From
	// actors v10 the Ethereum zero-address account takes it, so the first
	// actor created by a message gets FirstCreatedID+1.
	FirstCreatedID abi.ActorID = 1000
)

// FIL amounts in attoFIL (Lotus build/buildconstants/params_shared_vals.go).
var (
	FIL = big.NewInt(1e18)
	// TotalFIL is the 2 billion FIL that genesis hands out in full.
	TotalFIL = big.Mul(big.NewInt(2_000_000_000), FIL)
	// RewardBalance is the storage-mining allocation the reward actor holds.
	RewardBalance = big.Mul(big.NewInt(1_100_000_000), FIL)
)

// DefaultNetworkName is the init actor's network name when the template
// leaves it empty.
const DefaultNetworkName = "gofvm-genesis"

// Account is a key account created at genesis.
type Account struct {
	// Address is an f1 (secp256k1) or f3 (BLS) address.
	Address address.Address
	Balance abi.TokenAmount
}

// Template describes what genesis holds besides the singletons.
type Template struct {
	NetworkName string
	// Accounts get ids FirstAccountID, FirstAccountID+1, … in order.
	Accounts []Account
	// RootKey is the verified registry's root key (id 80), an account; it
	// sends as f080 (see singletons for why its key is not in the init
	// actor's map).
	RootKey Account
	// Reserve is the key of the remainder account (id 90), which holds
	// TotalFIL minus everything else; it sends as f090. Undef makes it an
	// account keyed by its own id address, as the burnt-funds account is.
	Reserve address.Address
}

// Genesis is a built genesis state.
type Genesis struct {
	NetworkVersion network.Version
	ActorsVersion  int
	Root           cid.Cid
	// Codes maps manifest names to code CIDs.
	Codes map[string]cid.Cid
	// Accounts are the ids of Template.Accounts, in order.
	Accounts []abi.ActorID
	// EthZero is the Ethereum account at the zero address (actors v10+; 0
	// before).
	EthZero abi.ActorID
	// EthZeroAddress is its f410 address (Undef before actors v10).
	EthZeroAddress address.Address
	// ReserveBalance is what the reserve got.
	ReserveBalance abi.TokenAmount
}

// Manifest names (builtin-actors manifest keys).
const (
	SystemName   = "system"
	InitName     = "init"
	RewardName   = "reward"
	CronName     = "cron"
	PowerName    = "storagepower"
	MarketName   = "storagemarket"
	VerifregName = "verifiedregistry"
	DatacapName  = "datacap"
	AccountName  = "account"
	MultisigName = "multisig"
	PaychName    = "paymentchannel"
	MinerName    = "storageminer"
	EAMName      = "eam"
	EVMName      = "evm"
	PlaceholderN = "placeholder"
	EthAccountN  = "ethaccount"
)

// RequiredNames are the manifest entries an actors version must have.
func RequiredNames(actorsVersion int) []string {
	names := []string{SystemName, InitName, RewardName, CronName, PowerName, MarketName,
		VerifregName, AccountName, MultisigName, PaychName, MinerName}
	if actorsVersion >= 9 {
		names = append(names, DatacapName)
	}
	if actorsVersion >= 10 {
		names = append(names, PlaceholderN, EAMName, EthAccountN, EVMName)
	}
	return names
}

// Build writes the genesis state for network version nv into store, which
// must already hold the bundle's blocks (its manifest data and code).
func Build(ctx context.Context, store cbor.IpldBlockstore, nv network.Version, bundle actors.BundleManifest, t Template) (*Genesis, error) {
	r, err := rules.For(nv)
	if err != nil {
		return nil, err
	}
	set, err := states.For(r.ActorsVersion)
	if err != nil {
		return nil, err
	}
	g := &Genesis{NetworkVersion: nv, ActorsVersion: r.ActorsVersion, Codes: map[string]cid.Cid{}}
	for _, e := range bundle.Entries {
		g.Codes[e.Name] = e.Code
	}
	for _, n := range RequiredNames(r.ActorsVersion) {
		if !g.Codes[n].Defined() {
			return nil, fmt.Errorf("genesis: the bundle %s has no %q actor, which actors v%d needs", bundle.Root, n, r.ActorsVersion)
		}
	}
	if err := checkTemplate(&t); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, cs: cbor.NewCborStore(store), set: set, g: g}
	if b.tree, err = newTree(ctx, b.cs, r); err != nil {
		return nil, err
	}
	if err := b.singletons(bundle.Data, &t); err != nil {
		return nil, err
	}
	if err := b.accounts(&t); err != nil {
		return nil, err
	}
	if g.Root, err = b.tree.Flush(); err != nil {
		return nil, fmt.Errorf("genesis: flush: %w", err)
	}
	return g, nil
}

func checkTemplate(t *Template) error {
	if t.NetworkName == "" {
		t.NetworkName = DefaultNetworkName
	}
	if len(t.Accounts) > int(FirstCreatedID-FirstAccountID) {
		return fmt.Errorf("genesis: %d accounts, at most %d", len(t.Accounts), FirstCreatedID-FirstAccountID)
	}
	seen := map[address.Address]bool{}
	keyed := append([]Account{t.RootKey}, t.Accounts...)
	if t.Reserve != address.Undef {
		keyed = append(keyed, Account{Address: t.Reserve, Balance: big.Zero()})
	}
	for _, a := range keyed {
		if p := a.Address.Protocol(); p != address.SECP256K1 && p != address.BLS {
			return fmt.Errorf("genesis: account %s is not an f1 or f3 address", a.Address)
		}
		if seen[a.Address] {
			return fmt.Errorf("genesis: account %s listed twice", a.Address)
		}
		seen[a.Address] = true
		if a.Balance.Int == nil || a.Balance.Sign() < 0 {
			return fmt.Errorf("genesis: account %s has no or a negative balance", a.Address)
		}
	}
	return nil
}

type builder struct {
	ctx  context.Context
	cs   cbor.IpldStore
	set  *states.Set
	g    *Genesis
	tree *actors.StateTree
	// allocated sums every balance handed out so far.
	allocated abi.TokenAmount
}

func (b *builder) put(st cbg.CBORMarshaler) (cid.Cid, error) {
	c, err := b.cs.Put(b.ctx, st)
	if err != nil {
		return cid.Undef, fmt.Errorf("genesis: storing a state: %w", err)
	}
	return c, nil
}

func (b *builder) set1(id abi.ActorID, name string, st cbg.CBORMarshaler, bal abi.TokenAmount, delegated *address.Address) error {
	head, err := b.put(st)
	if err != nil {
		return err
	}
	if b.allocated.Int == nil {
		b.allocated = big.Zero()
	}
	b.allocated = big.Add(b.allocated, bal)
	return b.tree.SetActor(id, &actors.Actor{Code: b.g.Codes[name], Head: head, Balance: bal, DelegatedAddress: delegated})
}

func idAddr(id abi.ActorID) address.Address {
	a, err := address.NewIDAddress(uint64(id))
	if err != nil {
		panic(err) // every id fits
	}
	return a
}

// singletons creates system, init, reward, cron, power, market, verified
// registry, datacap and the EAM (Lotus's MakeInitialStateTree and SetupEAM).
func (b *builder) singletons(manifestData cid.Cid, t *Template) error {
	set, g, ctx := b.set, b.g, b.ctx
	zero := big.Zero()
	if err := b.set1(SystemID, SystemName, set.System(manifestData), zero, nil); err != nil {
		return err
	}
	// The init actor maps every key account from id 100 to its id; from
	// actors v10 the Ethereum zero address takes the first free id
	// (SetupEthNullAddresses). Lotus also maps the root key's and the
	// reserve's key addresses to 80 and 90; the actors' init invariants
	// forbid mapped ids below 100 (builtin-actors actors/init/src/
	// testing.rs, FIRST_NON_SINGLETON_ADDR), so here both are known by
	// their id addresses only (their account states hold the keys).
	var mappings []states.Mapping
	next := FirstCreatedID
	for i, a := range t.Accounts {
		id := FirstAccountID + abi.ActorID(i)
		mappings = append(mappings, states.Mapping{Address: a.Address, ID: id})
		g.Accounts = append(g.Accounts, id)
	}
	if g.ActorsVersion >= 10 {
		zeroEth, err := address.NewDelegatedAddress(uint64(EAMID), make([]byte, 20))
		if err != nil {
			return err
		}
		g.EthZero, g.EthZeroAddress = next, zeroEth
		mappings = append(mappings, states.Mapping{Address: zeroEth, ID: next})
		next++
	}
	ist, err := set.Init(ctx, b.cs, t.NetworkName, mappings, next)
	if err != nil {
		return fmt.Errorf("genesis: init state: %w", err)
	}
	if err := b.set1(InitID, InitName, ist, zero, nil); err != nil {
		return err
	}
	if err := b.set1(RewardID, RewardName, set.Reward(), RewardBalance, nil); err != nil {
		return err
	}
	if err := b.set1(CronID, CronName, set.Cron(), zero, nil); err != nil {
		return err
	}
	pst, err := set.Power(ctx, b.cs)
	if err != nil {
		return fmt.Errorf("genesis: power state: %w", err)
	}
	if err := b.set1(PowerID, PowerName, pst, zero, nil); err != nil {
		return err
	}
	mst, err := set.Market(ctx, b.cs)
	if err != nil {
		return fmt.Errorf("genesis: market state: %w", err)
	}
	if err := b.set1(MarketID, MarketName, mst, zero, nil); err != nil {
		return err
	}
	vst, err := set.Verifreg(ctx, b.cs, idAddr(RootKeyID))
	if err != nil {
		return fmt.Errorf("genesis: verified registry state: %w", err)
	}
	if err := b.set1(VerifregID, VerifregName, vst, zero, nil); err != nil {
		return err
	}
	if set.Datacap != nil {
		// The verified registry governs datacap (Lotus f07_dcap.go).
		dst, err := set.Datacap(ctx, b.cs, idAddr(VerifregID))
		if err != nil {
			return fmt.Errorf("genesis: datacap state: %w", err)
		}
		if err := b.set1(DatacapID, DatacapName, dst, zero, nil); err != nil {
			return err
		}
	}
	if g.ActorsVersion >= 10 {
		// The EAM and the zero-address Ethereum account have the empty
		// state (Lotus's vm.EmptyObjectCid).
		empty, err := actors.PutEmptyArray(ctx, b.cs)
		if err != nil {
			return err
		}
		if err := b.tree.SetActor(EAMID, &actors.Actor{Code: g.Codes[EAMName], Head: empty, Balance: zero}); err != nil {
			return err
		}
		d := g.EthZeroAddress
		if err := b.tree.SetActor(g.EthZero, &actors.Actor{Code: g.Codes[EthAccountN], Head: empty, Balance: zero, DelegatedAddress: &d}); err != nil {
			return err
		}
	}
	return nil
}

// accounts creates burnt funds, the root key, the template's accounts and
// last the reserve with what is left of TotalFIL.
func (b *builder) accounts(t *Template) error {
	set := b.set
	zero := big.Zero()
	if err := b.set1(BurntFundsID, AccountName, set.Account(idAddr(BurntFundsID)), zero, nil); err != nil {
		return err
	}
	if err := b.set1(RootKeyID, AccountName, set.Account(t.RootKey.Address), t.RootKey.Balance, nil); err != nil {
		return err
	}
	for i, a := range t.Accounts {
		if err := b.set1(b.g.Accounts[i], AccountName, set.Account(a.Address), a.Balance, nil); err != nil {
			return err
		}
	}
	rest := big.Sub(TotalFIL, b.allocated)
	if rest.Sign() < 0 {
		return errors.New("genesis: the accounts hold more than the total FIL supply")
	}
	key := t.Reserve
	if key == address.Undef {
		key = idAddr(ReserveID)
	}
	b.g.ReserveBalance = rest
	return b.set1(ReserveID, AccountName, set.Account(key), rest, nil)
}
