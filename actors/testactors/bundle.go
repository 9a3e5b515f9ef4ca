package testactors

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"github.com/multiformats/go-varint"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/rules"
)

var (
	//go:embed noop.wasm
	noopWasm []byte
	//go:embed tiny.wasm
	tinyWasm []byte
	//go:embed tester_v2.wasm
	testerV2Wasm []byte
	//go:embed tester_v3.wasm
	testerV3Wasm []byte
	//go:embed retblk.wasm
	retblkWasm []byte
	//go:embed exitdata_v2.wasm
	exitdataV2Wasm []byte
	//go:embed exitdata_v3.wasm
	exitdataV3Wasm []byte
	//go:embed charge.wasm
	chargeWasm []byte
	//go:embed badptr_v2.wasm
	badptrV2Wasm []byte
	//go:embed badptr_v3.wasm
	badptrV3Wasm []byte
	//go:embed destruct.wasm
	destructWasm []byte
	//go:embed avail_v3.wasm
	availV3Wasm []byte
	//go:embed sealer.wasm
	sealerWasm []byte
	//go:embed postv1p1.wasm
	postV1P1Wasm []byte
	//go:embed postmixed.wasm
	postMixedWasm []byte
	//go:embed tipset_v3.wasm
	tipsetV3Wasm []byte
	//go:embed leaker_v3.wasm
	leakerV3Wasm []byte
	//go:embed tester_v4.wasm
	testerV4Wasm []byte
	//go:embed destruct_v4.wasm
	destructV4Wasm []byte
	//go:embed probe_v4.wasm
	probeV4Wasm []byte
	//go:embed noinvoke_v4.wasm
	noinvokeV4Wasm []byte
	//go:embed event_v4.wasm
	eventV4Wasm []byte
	//go:embed eventcbor_v4.wasm
	eventcborV4Wasm []byte
	//go:embed rand_v4.wasm
	randV4Wasm []byte
	//go:embed bls_v4.wasm
	blsV4Wasm []byte
	//go:embed seals_v4.wasm
	sealsV4Wasm []byte
	//go:embed aggseals_v4.wasm
	aggsealsV4Wasm []byte
	//go:embed post_v4.wasm
	postV4Wasm []byte
	//go:embed reach.wasm
	reachWasm []byte
	//go:embed rootopen_v4.wasm
	rootopenV4Wasm []byte
)

// Manifest names. The kernel requires system, init and account, and with
// delegated addresses (FVM v3) also placeholder, eam and ethaccount
// (fvm-abi.md §8.1).
const (
	System      = "system"
	Init        = "init"
	Account     = "account"
	Placeholder = "placeholder"
	EAM         = "eam"
	EthAccount  = "ethaccount"
	Tester      = "tester"
	Tiny        = "tiny"
	BadPtr      = "badptr"
	Charge      = "charge"
	RetBlk      = "retblk"
	ExitData    = "exitdata"
	Destruct    = "destruct"
	Avail       = "avail" // FVM v3 and v4
	Reach       = "reach" // FVM v3 and v4
	// FVM v2 and v3 (the version rules of scenarios_versions.go).
	Sealer    = "sealer"
	PostV1P1  = "postv1p1"
	PostMixed = "postmixed"
	// FVM v3 only.
	Tipset = "tipset"
	Leaker = "leaker"
	// FVM v4 only (the _v4 modules of wat/).
	Probe     = "probe"
	NoInvoke  = "noinvoke"
	Event     = "event"
	EventCBOR = "eventcbor"
	Rand      = "rand"
	BLS       = "bls"
	Seals     = "seals"
	AggSeals  = "aggseals"
	PoSt      = "post"
	RootOpen  = "rootopen"
)

// Bundle is the test actors' bundle for one network version.
type Bundle struct {
	NV    network.Version
	Root  cid.Cid // the manifest [1, data]
	Data  cid.Cid // [[name, code]...]
	Names []string
	Codes map[string]cid.Cid
	// Types are the builtin type ids: 1-based manifest positions.
	Types  map[string]int32
	Blocks []blocks.Block
}

// line is the FVM line whose imports nv links (package rules decides);
// unknown versions count as FVM v2.
func line(nv network.Version) rules.Engine {
	r, err := rules.For(nv)
	if err != nil {
		return rules.FVMv2
	}
	return r.Engine
}

// abiV3 reports whether nv links the FVM v3 imports (or v4's, which keep
// every v3 import the _v3 modules use).
func abiV3(nv network.Version) bool { return line(nv) >= rules.FVMv3 }

// Names lists the manifest entries in order for nv.
func Names(nv network.Version) []string {
	switch line(nv) {
	case rules.FVMv3:
		return []string{System, Init, Account, Placeholder, EAM, EthAccount, Tester, Tiny, BadPtr, Charge, RetBlk, ExitData, Destruct, Avail, Reach,
			Sealer, PostV1P1, PostMixed, Tipset, Leaker}
	case rules.FVMv4:
		return []string{System, Init, Account, Placeholder, EAM, EthAccount, Tester, Tiny, BadPtr, Charge, RetBlk, ExitData, Destruct, Avail,
			Probe, NoInvoke, Event, EventCBOR, Rand, BLS, Seals, AggSeals, PoSt, Reach, RootOpen}
	}
	return []string{System, Init, Account, Tester, Tiny, BadPtr, Charge, RetBlk, ExitData, Destruct, Sealer, PostV1P1, PostMixed}
}

// Wasm is the (untagged) module a manifest name runs at nv: the _v2
// modules on the FVM v2 ABI, the _v3 ones on v3 and, where an import
// changed, the _v4 ones on v4 (fvm-abi-next.md §3.1).
func Wasm(name string, nv network.Version) []byte {
	switch name {
	case Init, Tester:
		switch line(nv) {
		case rules.FVMv3:
			return testerV3Wasm
		case rules.FVMv4:
			return testerV4Wasm
		}
		return testerV2Wasm
	case Tiny:
		return tinyWasm
	case RetBlk:
		return retblkWasm
	case ExitData:
		if abiV3(nv) {
			return exitdataV3Wasm
		}
		return exitdataV2Wasm
	case Charge:
		return chargeWasm
	case Destruct:
		if line(nv) == rules.FVMv4 {
			return destructV4Wasm
		}
		return destructWasm
	case Probe:
		return probeV4Wasm
	case NoInvoke:
		return noinvokeV4Wasm
	case Event:
		return eventV4Wasm
	case EventCBOR:
		return eventcborV4Wasm
	case Rand:
		return randV4Wasm
	case BLS:
		return blsV4Wasm
	case Seals:
		return sealsV4Wasm
	case AggSeals:
		return aggsealsV4Wasm
	case PoSt:
		return postV4Wasm
	case Reach:
		return reachWasm
	case RootOpen:
		return rootopenV4Wasm
	case Avail:
		return availV3Wasm
	case Sealer:
		return sealerWasm
	case PostV1P1:
		return postV1P1Wasm
	case PostMixed:
		return postMixedWasm
	case Tipset:
		return tipsetV3Wasm
	case Leaker:
		return leakerV3Wasm
	case BadPtr:
		if abiV3(nv) {
			return badptrV3Wasm
		}
		return badptrV2Wasm
	}
	return noopWasm
}

// Block is the raw bytes of the bundle block with CID c (nil if absent).
func (b *Bundle) Block(c cid.Cid) []byte {
	for _, blk := range b.Blocks {
		if blk.Cid() == c {
			return blk.RawData()
		}
	}
	return nil
}

// tagged appends a custom section "gofvm" holding name, so that modules with
// the same behaviour get different code CIDs. Custom sections never run.
func tagged(wasm []byte, name string) []byte {
	var body []byte
	body = append(body, varint.ToUvarint(uint64(len("gofvm")))...)
	body = append(body, "gofvm"...)
	body = append(body, name...)
	out := append([]byte(nil), wasm...)
	out = append(out, 0)
	out = append(out, varint.ToUvarint(uint64(len(body)))...)
	return append(out, body...)
}

// NewBundle builds the bundle for nv: the v2 modules for the FVM v2 line
// (nv16–17), the v3 ones for the v3 line (nv18–20), the v4 ones for the v4
// line (nv21–28). The bundles of one line are identical (same code CIDs).
func NewBundle(nv network.Version) (*Bundle, error) {
	if _, err := rules.For(nv); err != nil {
		return nil, fmt.Errorf("testactors: %w", err)
	}
	b := &Bundle{NV: nv, Names: Names(nv), Codes: map[string]cid.Cid{}, Types: map[string]int32{}}
	var data bytes.Buffer
	w := cbg.NewCborWriter(&data)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(b.Names)))
	for i, name := range b.Names {
		blk, err := newBlock(cid.Raw, tagged(Wasm(name, nv), name))
		if err != nil {
			return nil, err
		}
		b.Blocks = append(b.Blocks, blk)
		b.Codes[name], b.Types[name] = blk.Cid(), int32(i+1)
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
	b.Data = dataBlk.Cid()
	var root bytes.Buffer
	w = cbg.NewCborWriter(&root)
	_ = w.WriteMajorTypeHeader(cbg.MajArray, 2)
	_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, 1)
	if err := cbg.WriteCid(w, b.Data); err != nil {
		return nil, err
	}
	rootBlk, err := newBlock(cid.DagCBOR, root.Bytes())
	if err != nil {
		return nil, err
	}
	b.Root = rootBlk.Cid()
	b.Blocks = append(b.Blocks, dataBlk, rootBlk)
	return b, nil
}

// newBlock stores data under a CIDv1 with codec and blake2b-256, as the
// bundles and the state tree do.
func newBlock(codec uint64, data []byte) (blocks.Block, error) {
	c, err := cid.V1Builder{Codec: codec, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
	if err != nil {
		return nil, err
	}
	return blocks.NewBlockWithCid(data, c)
}

// CAR is the bundle as a CARv1 whose only root is the manifest, blocks in
// the order they were made (deterministic bytes).
func (b *Bundle) CAR() []byte { return WriteCAR([]cid.Cid{b.Root}, b.Blocks) }

// WriteCAR writes a CARv1 with the given roots and blocks.
func WriteCAR(roots []cid.Cid, blks []blocks.Block) []byte {
	var hdr bytes.Buffer
	w := cbg.NewCborWriter(&hdr)
	_ = w.WriteMajorTypeHeader(cbg.MajMap, 2)
	_ = w.WriteMajorTypeHeader(cbg.MajTextString, 5)
	_, _ = w.Write([]byte("roots"))
	_ = w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(roots)))
	for _, r := range roots {
		_ = cbg.WriteCid(w, r)
	}
	_ = w.WriteMajorTypeHeader(cbg.MajTextString, 7)
	_, _ = w.Write([]byte("version"))
	_ = w.WriteMajorTypeHeader(cbg.MajUnsignedInt, 1)
	var out bytes.Buffer
	out.Write(varint.ToUvarint(uint64(hdr.Len())))
	out.Write(hdr.Bytes())
	for _, blk := range blks {
		cb := blk.Cid().Bytes()
		out.Write(varint.ToUvarint(uint64(len(cb) + len(blk.RawData()))))
		out.Write(cb)
		out.Write(blk.RawData())
	}
	return out.Bytes()
}
