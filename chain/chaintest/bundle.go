// Package chaintest builds small Filecoin chains for tests and serves them
// over a real go-jsonrpc server on 127.0.0.1, the way a Lotus node serves
// its chain (chain.md §3.3): a genesis of gofvm's own test actors, blocks
// from several miners with overlapping BLS and secp messages, null rounds,
// and an nv17 → nv18 upgrade with a small migration of its own. Faults can
// be switched on (a missing block, corrupt bytes, a slow answer, a dropped
// connection, malformed JSON) to test what a client does with them.
package chaintest

//go:generate sh wat/gen.sh

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-varint"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/actors/testactors"
)

var (
	//go:embed cron_v2.wasm
	cronV2 []byte
	//go:embed cron_v3.wasm
	cronV3 []byte
	//go:embed reward_v2.wasm
	rewardV2 []byte
	//go:embed reward_v3.wasm
	rewardV3 []byte
)

// Manifest names of the test chain's bundle.
const (
	System       = "system"
	Init         = "init"
	Cron         = "cron"
	Account      = "account"
	Reward       = "reward"
	StorageMiner = "storageminer"
	Tester       = "tester"
	Placeholder  = "placeholder"
	EAM          = "eam"
	EthAccount   = "ethaccount"
)

// Bundle is the test chain's actors for one network version (17 or 18).
type Bundle struct {
	NV     network.Version
	Root   cid.Cid // [1, data]
	Data   cid.Cid // [[name, code]…]
	Names  []string
	Codes  map[string]cid.Cid
	Blocks []blocks.Block
}

// names lists the manifest in order; nv18 adds the three actors FVM v3
// requires (fvm-abi.md §8.1).
func names(nv network.Version) []string {
	n := []string{System, Init, Cron, Account, Reward, StorageMiner, Tester}
	if nv >= network.Version18 {
		n = append(n, Placeholder, EAM, EthAccount)
	}
	return n
}

func wasm(name string, nv network.Version) []byte {
	v3 := nv >= network.Version18
	switch name {
	case Cron:
		if v3 {
			return cronV3
		}
		return cronV2
	case Reward:
		if v3 {
			return rewardV3
		}
		return rewardV2
	case Init, Tester:
		return testactors.Wasm(testactors.Tester, nv)
	}
	return testactors.Wasm(testactors.Account, nv) // noop
}

// tag appends a custom section naming the actor, so every entry has its own
// code CID (custom sections never run).
func tag(w []byte, name string, nv network.Version) []byte {
	body := append(varint.ToUvarint(uint64(len("gofvm-chain"))), "gofvm-chain"...)
	body = append(body, fmt.Sprintf("%s/nv%d", name, nv)...)
	out := append(append([]byte(nil), w...), 0)
	out = append(out, varint.ToUvarint(uint64(len(body)))...)
	return append(out, body...)
}

// NewBundle builds the bundle for nv17 or nv18.
func NewBundle(nv network.Version) (*Bundle, error) {
	if nv != network.Version17 && nv != network.Version18 {
		return nil, fmt.Errorf("chaintest: no bundle for nv%d", nv)
	}
	b := &Bundle{NV: nv, Names: names(nv), Codes: map[string]cid.Cid{}}
	var data bytes.Buffer
	w := cbg.NewCborWriter(&data)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(b.Names)))
	for _, name := range b.Names {
		blk, err := newBlock(cid.Raw, tag(wasm(name, nv), name, nv))
		if err != nil {
			return nil, err
		}
		b.Blocks = append(b.Blocks, blk)
		b.Codes[name] = blk.Cid()
		_ = w.WriteMajorTypeHeader(cbg.MajArray, 2)
		_ = w.WriteMajorTypeHeader(cbg.MajTextString, uint64(len(name)))
		_, _ = w.Write([]byte(name))
		if err := cbg.WriteCid(w, blk.Cid()); err != nil {
			return nil, err
		}
	}
	dataBlk, err := newBlock(cid.DagCBOR, data.Bytes())
	if err != nil {
		return nil, err
	}
	var root bytes.Buffer
	w = cbg.NewCborWriter(&root)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, 2)
	_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, 1)
	if err := cbg.WriteCid(w, dataBlk.Cid()); err != nil {
		return nil, err
	}
	rootBlk, err := newBlock(cid.DagCBOR, root.Bytes())
	if err != nil {
		return nil, err
	}
	b.Data, b.Root = dataBlk.Cid(), rootBlk.Cid()
	b.Blocks = append(b.Blocks, dataBlk, rootBlk)
	return b, nil
}

func newBlock(codec uint64, data []byte) (blocks.Block, error) {
	c, err := abi.CidBuilder.WithCodec(codec).Sum(data)
	if err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(data, c)
}
