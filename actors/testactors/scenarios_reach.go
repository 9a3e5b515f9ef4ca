package testactors

import (
	"bytes"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// FIP-0071 as consensus (nv21–28): the reach actor runs the scenarios of
// fvm-abi-next.md §14 (13–21, 23) as scripts that check every syscall's
// error number themselves (a wrong one exits 100 + its index), so exit 0
// is the sheet's outcome; their gas is recorded. rootopen_v4 has its gas by
// hand. The kernel's integration tests (integration_reach_test.go) check
// each syscall's charges against the sheets on both engines.

// rootopenV4Exec: thunk 56 + one block of eleven 4-gas instructions.
const rootopenV4Exec = (56 + 44) * 1000

// Error numbers the scripts expect (fvm-abi.md §2).
const (
	errnoOK            = 0
	errnoNotFound      = 6
	errnoIllegalCodec  = 9
	errnoSerialization = 10
	errnoReadOnly      = 13
)

// blakeCid is the blake2b-256 CIDv1 of data with codec.
func blakeCid(codec uint64, data []byte) cid.Cid {
	c, err := cid.V1Builder{Codec: codec, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
	if err != nil {
		panic(err)
	}
	return c
}

// identityCid is the CID of codec inlining data.
func identityCid(codec uint64, data []byte) cid.Cid {
	m, err := mh.Sum(data, mh.IDENTITY, -1)
	if err != nil {
		panic(err)
	}
	return cid.NewCidV1(codec, m)
}

// linkArray is the DAG-CBOR array (fewer than 24 items) of links to cs.
func linkArray(cs ...cid.Cid) []byte {
	out := []byte{0x80 | byte(len(cs))}
	for _, c := range cs {
		out = append(out, LinkBytes(c)...)
	}
	return out
}

func reachScenarios(g *Genesis, add func(Scenario, uint32, string) *Scenario) {
	nv := g.NV
	id := func(n abi.ActorID) address.Address { a, _ := address.NewIDAddress(uint64(n)); return a }
	base := func(name string, to abi.ActorID, p []byte) Scenario {
		return Scenario{Name: name, From: g.Alice, To: id(to), Method: 2, Value: big.Zero(), Params: p,
			GasLimit: GasLimit, GasFeeCap: FeeCap, GasPremium: GasPremium}
	}
	st := ReachState()
	reach := id(ReachID).Bytes()

	s := add(base("reach-root-before-open-gas", RootOpenID, nil), 0,
		"fvm-abi-next.md §4.1, §14 scenario 13; fvm-gas-next.md §10 examples 13, 19: open before self.root → NotFound after 187,740; self.root 300; open 187,740 + 35 + 10")
	s.HandGas = func(L int) int64 {
		return ceilGas(inclusion(nv, L) + v3InvokeMethod + v3MemoryInit1Page + 3*syscall + rootopenV4Exec +
			187_740_000 + 300_000 + 187_740_000 + 35_000 + 10_000)
	}

	// Scenario 13: Reach2's state S = [A, B].
	var sc ReachScript
	sOff, aOff := sc.Data(st.S.Bytes()), sc.Data(st.A.Bytes())
	sc.Op(ReachOpenAt, errnoNotFound, sOff, 0).Op(ReachRoot, errnoOK, 0).Op(ReachOpenSlot, errnoOK, 0, 0).Op(ReachOpenAt, errnoOK, aOff, 1)
	add(base("reach-state-before-root", Reach2ID, sc.Params()), 0,
		"fvm-abi-next.md §4.1, §14 scenario 13: the state root is not reachable before self.root; its links are after it is opened")

	// Scenario 14.
	sc = ReachScript{}
	sc.Op(ReachCodeCid, errnoOK, uint32(ReachID), 0).Op(ReachOpenSlot, errnoNotFound, 0, 0)
	add(base("reach-code-cid", ReachID, sc.Params()), 0,
		"fvm-abi-next.md §4.1, §14 scenario 14: a code CID from get_actor_code_cid cannot be opened")

	// Scenario 15.
	x := []byte{0x81, 0x01}
	d := linkArray(blakeCid(0x71, x))
	sc = ReachScript{}
	xOff, dOff := sc.Data(x), sc.Data(d)
	sc.Op(ReachCreate, errnoNotFound, 0x71, dOff, uint32(len(d)), 0).
		Op(ReachCreate, errnoOK, 0x71, xOff, uint32(len(x)), 1).Op(ReachLink, errnoOK, 1, 0).
		Op(ReachCreate, errnoOK, 0x71, dOff, uint32(len(d)), 2)
	add(base("reach-create-unreachable-link", ReachID, sc.Params()), 0,
		"fvm-abi-next.md §4.3, §14 scenario 15: block_create linking an unseen CID → NotFound; after block_link made it, accepted")

	// Scenarios 16 and 17.
	sha, _ := cid.V1Builder{Codec: 0x71, MhType: mh.SHA2_256}.Sum([]byte("x"))
	commMh, _ := mh.Encode(bytes.Repeat([]byte{1}, 32), 0x1012)
	commD := cid.NewCidV1(0xf101, commMh)
	sc = ReachScript{}
	create := func(codec uint64, data []byte, want uint32) {
		sc.Op(ReachCreate, want, uint32(codec), sc.Data(data), uint32(len(data)), 0)
	}
	for _, c := range []cid.Cid{sha, cid.NewCidV0(sha.Hash()), blakeCid(0x70, []byte("x"))} {
		create(0x71, linkArray(c), errnoNotFound)
	}
	create(0x71, linkArray(commD), errnoOK)
	sc.Op(ReachOpenAt, errnoNotFound, sc.Data(commD.Bytes()), 0)
	add(base("reach-forbidden-links", ReachID, sc.Params()), 0,
		"fvm-abi-next.md §4.2, §14 scenario 16: sha2-256, CIDv0 and dag-pb links → NotFound; a CommD link is ignored and cannot be opened")
	sc = ReachScript{}
	noPrefix := append([]byte{0xd8, 42, 0x58, 39, 0x01}, blakeCid(0x71, []byte{0x80}).Bytes()...)
	for _, b := range [][]byte{{0x9f, 0x01, 0xff}, {0x01, 0x02}, {0xd8, 42, 0x63, 'a', 'b', 'c'}, noPrefix} {
		create(0x71, b, errnoSerialization)
		create(0x51, b, errnoOK)
		create(0x55, b, errnoOK)
		create(0x70, b, errnoIllegalCodec)
	}
	add(base("reach-malformed-dag-cbor", ReachID, sc.Params()), 0,
		"fvm-abi-next.md §4.2, §14 scenario 17: malformed DAG-CBOR → Serialization; as CBOR or raw accepted; codec 0x70 → IllegalCodec")

	// Scenario 18.
	c := blakeCid(0x71, x)
	good := linkArray(identityCid(0x71, linkArray(c)))
	bad := linkArray(identityCid(0x71, linkArray(blakeCid(0x71, []byte{0x81, 0x02}))))
	sc = ReachScript{}
	xOff, gOff, bOff := sc.Data(x), sc.Data(good), sc.Data(bad)
	sc.Op(ReachCreate, errnoOK, 0x71, xOff, uint32(len(x)), 0).Op(ReachLink, errnoOK, 0, 0).
		Op(ReachCreate, errnoOK, 0x71, gOff, uint32(len(good)), 1).
		Op(ReachCreate, errnoNotFound, 0x71, bOff, uint32(len(bad)), 2).
		Op(ReachOpenAt, errnoNotFound, sc.Data(identityCid(0x71, linkArray(c)).Bytes()), 3)
	add(base("reach-identity-inline", ReachID, sc.Params()), 0,
		"fvm-abi-next.md §4.2, §14 scenario 18: an identity link is scanned inline; the identity CID itself cannot be opened")

	// Scenario 19: a raw root; an unknown root; read-only.
	raw := []byte("x")
	var child ReachScript
	child.Op(ReachSetRootAt, errnoReadOnly, child.Data(blakeCid(0x55, raw).Bytes()))
	childParams := child.Params()
	sc = ReachScript{}
	unknown := sc.Data(blakeCid(0x71, []byte{0x82, 0x01, 0x02}).Bytes())
	rawOff, cOff, toOff := sc.Data(raw), sc.Data(childParams), sc.Data(reach)
	sc.Op(ReachSetRootAt, errnoNotFound, unknown).
		Op(ReachCreate, errnoOK, 0x55, rawOff, 1, 0).Op(ReachLink, errnoOK, 0, 0).Op(ReachSetRootSlot, errnoOK, 0).
		Op(ReachCreate, errnoOK, 0x51, cOff, uint32(len(childParams)), 1).
		Op(ReachSend, errnoOK, toOff, uint32(len(reach)), 2, 1, 0, 1, 0)
	add(base("reach-set-root", ReachID, sc.Params()), 0,
		"fvm-abi-next.md §3.3, §14 scenario 19: set_root of a linked raw block; of an unknown CID → NotFound; read-only → ReadOnly")

	// Scenarios 20 and 21: params carry A and B to the callee; the
	// callee's [bytecode] return carries bytecode back.
	bytecode := []byte("bytecode")
	bc := blakeCid(0x55, bytecode)
	var callee ReachScript
	ret := linkArray(bc)
	callee.Op(ReachOpenAt, errnoOK, callee.Data(st.A.Bytes()), 0).
		Op(ReachCreate, errnoOK, 0x55, callee.Data(bytecode), uint32(len(bytecode)), 1).Op(ReachLink, errnoOK, 1, 0).
		Op(ReachCreate, errnoOK, 0x71, callee.Data(ret), uint32(len(ret)), 2).Op(ReachReturn, ReachAny, 2)
	calleeParams := callee.Params(LinkBytes(st.A), LinkBytes(st.B))
	sc = ReachScript{}
	pOff, toOff, bcOff := sc.Data(calleeParams), sc.Data(reach), sc.Data(bc.Bytes())
	sc.Op(ReachRoot, errnoOK, 0).Op(ReachOpenSlot, errnoOK, 0, 0).
		Op(ReachCreate, errnoOK, 0x71, pOff, uint32(len(calleeParams)), 1).
		Op(ReachSend, errnoOK, toOff, uint32(len(reach)), 2, 1, 0, 0, 0).
		Op(ReachOpenAt, errnoOK, bcOff, 2)
	add(base("reach-params-and-return-links", Reach2ID, sc.Params()), 0,
		"fvm-abi-next.md §4.3, §14 scenarios 20, 21: a params block's links are reachable in the callee, a returned block's in the caller")

	// Scenario 23.
	sc = ReachScript{}
	sc.Op(ReachOpenAt, errnoNotFound, sc.Data(st.A.Bytes()), 0)
	add(base("reach-top-level-params", ReachID, sc.Params(LinkBytes(st.A))), 0,
		"fvm-abi-next.md §4.1, §14 scenario 23: message params are CBOR without links; a CID they link cannot be opened")
}
