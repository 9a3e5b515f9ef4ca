package genesis_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/manifest"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/genesis"
)

// Build makes the state tree; a real run first loads the bundle into the
// store with genesis.LoadMainnetBundle. Here the code CIDs are made up.
func ExampleBuild() {
	ctx := context.Background()
	store := testactors.NewMemStore()
	var bundle actors.BundleManifest
	for _, name := range genesis.RequiredNames(10) {
		code, _ := cid.V1Builder{Codec: cid.Raw, MhType: mh.IDENTITY}.Sum([]byte(name))
		bundle.Entries = append(bundle.Entries, manifest.ManifestEntry{Name: name, Code: code})
	}
	bundle.Data, _ = cid.V1Builder{Codec: cid.DagCBOR, MhType: mh.IDENTITY}.Sum([]byte{0x80})

	key, _ := address.NewSecp256k1Address(bytes.Repeat([]byte{4}, 65))
	root, _ := address.NewBLSAddress(bytes.Repeat([]byte{1}, 48))
	g, err := genesis.Build(ctx, store, 18, bundle, genesis.Template{
		Accounts: []genesis.Account{{Address: key, Balance: big.Mul(big.NewInt(100), genesis.FIL)}},
		RootKey:  genesis.Account{Address: root, Balance: big.Zero()},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("actors version", g.ActorsVersion)
	fmt.Println("accounts", g.Accounts)
	fmt.Println("eth zero address", g.EthZeroAddress, "at id", g.EthZero)
	// Output:
	// actors version 10
	// accounts [100]
	// eth zero address f410faaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaonc6iji at id 1000
}
