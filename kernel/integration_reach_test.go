package kernel_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/tracing"
)

// FIP-0071 at the message level, on both engines: the reach actor
// (actors/testactors/wat/reach.wat) runs each scenario of fvm-abi-next.md
// §14 (13–23, 30) and each worked example of fvm-gas-next.md §10 (9–20) as a
// script of syscalls, checking every syscall's error number itself (a wrong
// one ends the message with exit 100 + the instruction's index). The tests
// check the receipt and compare each syscall's own charges (those the trace
// shows between its OnSyscall and the next wasm_exec, in whole gas) with
// the sheets'.

// Error numbers (fvm-abi.md §2).
const (
	eOK            = 0
	eIllegalArg    = 1
	eLimitExceeded = 3
	eNotFound      = 6
	eIllegalCodec  = 9
	eSerialization = 10
	eReadOnly      = 13
)

type rcharge struct {
	name  string
	milli int64
}

func (c rcharge) String() string {
	if c.milli%1000 == 0 {
		return fmt.Sprintf("%s %d", c.name, c.milli/1000)
	}
	return fmt.Sprintf("%s %d.%03d", c.name, c.milli/1000, c.milli%1000)
}

func gas(name string, whole int64) rcharge { return rcharge{name, whole * 1000} }

// reachRun is one message to a reach actor.
type reachRun struct {
	ret *kernel.ApplyRet
	res []testactors.ReachResult
	log []rcharge
	w   *world
}

func runReach(t *testing.T, nv network.Version, k engineKind, to abi.ActorID, params []byte, opts ...kernel.Option) *reachRun {
	t.Helper()
	r := &reachRun{}
	opts = append([]kernel.Option{kernel.WithHooks(&tracing.Hooks{
		OnGasCharge: func(c tracing.GasCharge) { r.log = append(r.log, rcharge{c.Name, c.TotalMilli()}) },
	})}, opts...)
	r.w = newWorld(t, nv, k, opts...)
	r.ret = r.w.apply(r.w.msg(r.w.g.Alice, idAddr(to), 2, 0, params, testactors.GasLimit))
	if r.ret.Receipt.ExitCode != 0 {
		t.Fatalf("exit %d (%s)", r.ret.Receipt.ExitCode, r.ret.FailureInfo)
	}
	var err error
	if r.res, err = testactors.ReachResults(r.ret.Receipt.Return); err != nil {
		t.Fatal(err)
	}
	return r
}

// syscalls splits the charges into one list per syscall, in order: what
// follows each OnSyscall up to the next OnSyscall or wasm charge.
func (r *reachRun) syscalls() [][]rcharge {
	var out [][]rcharge
	in := false
	for _, c := range r.log {
		switch c.name {
		case "OnSyscall":
			out = append(out, nil)
			in = true
		case "wasm_exec", "wasm_memory_grow":
			in = false
		default:
			if in {
				out[len(out)-1] = append(out[len(out)-1], c)
			}
		}
	}
	return out
}

// op returns the charges of the script's instruction i in a script without
// sends: the first two syscalls read the params.
func (r *reachRun) op(i int) []rcharge { return r.syscalls()[2+i] }

// syscallWith returns the charges of the only syscall that charged name.
func (r *reachRun) syscallWith(name string) []rcharge {
	var found []rcharge
	n := 0
	for _, s := range r.syscalls() {
		for _, c := range s {
			if c.name == name {
				found = s
				n++
				break
			}
		}
	}
	if n != 1 {
		r.w.t.Errorf("%d syscalls charged %s, want 1", n, name)
	}
	return found
}

func (r *reachRun) named(names ...string) []rcharge {
	var out []rcharge
	for _, c := range r.log {
		for _, n := range names {
			if c.name == n {
				out = append(out, c)
			}
		}
	}
	return out
}

func wantOp(t *testing.T, what string, got []rcharge, want ...rcharge) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: charges %v, want %v", what, got, want)
	}
}

func blakeCid(t testing.TB, codec uint64, data []byte) cid.Cid {
	c, err := cid.V1Builder{Codec: codec, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func identity(t testing.TB, codec uint64, data []byte) cid.Cid {
	m, err := mh.Sum(data, mh.IDENTITY, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(codec, m)
}

func links(cs ...cid.Cid) []byte {
	out := []byte{0x80 | byte(len(cs))}
	for _, c := range cs {
		out = append(out, testactors.LinkBytes(c)...)
	}
	return out
}

var reachNVs = []network.Version{network.Version21, network.Version28}

func onReachVersions(t *testing.T, f func(t *testing.T, nv network.Version, k engineKind)) {
	for _, nv := range reachNVs {
		for _, k := range engineKinds {
			t.Run(fmt.Sprintf("nv%d/%s", nv, k), func(t *testing.T) { f(t, nv, k) })
		}
	}
}

const any = testactors.ReachAny

// Scenario 13 (and example 13): Reach2's state S = [A, B] cannot be opened
// before self.root (NotFound after 187,740); self.root costs 300; then S
// opens: scan F = 3, C = 2 → 905; OnBlockOpen(87, 2) = 870. A, one of its
// links, then opens (raw, 1 byte: scan 0, 10).
func TestReachV4Scenario13(t *testing.T) {
	s := testactors.ReachState()
	onReachVersions(t, func(t *testing.T, nv network.Version, k engineKind) {
		var sc testactors.ReachScript
		sOff, aOff := sc.Data(s.S.Bytes()), sc.Data(s.A.Bytes())
		sc.Op(testactors.ReachOpenAt, eNotFound, sOff, 0).
			Op(testactors.ReachRoot, eOK, 0).
			Op(testactors.ReachOpenSlot, eOK, 0, 0).
			Op(testactors.ReachOpenAt, eOK, aOff, 1)
		r := runReach(t, nv, k, testactors.Reach2ID, sc.Params())
		wantOp(t, "open before root", r.op(0), gas("OnBlockOpenBase", 187_740))
		wantOp(t, "root", r.op(1), gas("OnActorGetRoot", 300))
		wantOp(t, "open S", r.op(2), gas("OnBlockOpenBase", 187_740), gas("OnScanIpldLinks", 905), gas("OnBlockOpen", 870))
		wantOp(t, "open A", r.op(3), gas("OnBlockOpenBase", 187_740), gas("OnScanIpldLinks", 0), gas("OnBlockOpen", 10))
	})
}

// Scenario 14: a code CID from get_actor_code_cid cannot be opened.
func TestReachV4Scenario14(t *testing.T) {
	onReachVersions(t, func(t *testing.T, nv network.Version, k engineKind) {
		var sc testactors.ReachScript
		sc.Op(testactors.ReachCodeCid, eOK, uint32(testactors.ReachID), 1).
			Op(testactors.ReachOpenSlot, eNotFound, 1, 0)
		r := runReach(t, nv, k, testactors.ReachID, sc.Params())
		wantOp(t, "open code", r.op(1), gas("OnBlockOpenBase", 187_740))
	})
}

// Scenario 15: [tag42(C)] (44 bytes) with C unseen: NotFound after the scan
// (470) and OnBlockCreate(44, 1) (440); after block_link made C, the same
// create succeeds with the same charges.
func TestReachV4Scenario15(t *testing.T) {
	onReachVersions(t, func(t *testing.T, nv network.Version, k engineKind) {
		x := []byte{0x81, 0x01}
		d := links(blakeCid(t, 0x71, x))
		var sc testactors.ReachScript
		xOff, dOff := sc.Data(x), sc.Data(d)
		sc.Op(testactors.ReachCreate, eNotFound, 0x71, dOff, uint32(len(d)), 0).
			Op(testactors.ReachCreate, eOK, 0x71, xOff, uint32(len(x)), 1).
			Op(testactors.ReachLink, eOK, 1, 0).
			Op(testactors.ReachCreate, eOK, 0x71, dOff, uint32(len(d)), 2)
		r := runReach(t, nv, k, testactors.ReachID, sc.Params())
		wantOp(t, "create before link", r.op(0), gas("OnScanIpldLinks", 470), gas("OnBlockCreate", 440))
		wantOp(t, "create after link", r.op(3), gas("OnScanIpldLinks", 470), gas("OnBlockCreate", 440))
	})
}

// Scenarios 16 and 17: forbidden link shapes are NotFound; a commitment link
// is ignored and not openable; malformed DAG-CBOR is Serialization; the same
// bytes as CBOR or raw are accepted; codec 0x70 is IllegalCodec with no
// charge.
func TestReachV4Scenarios16And17(t *testing.T) {
	sha, _ := cid.V1Builder{Codec: 0x71, MhType: mh.SHA2_256}.Sum([]byte("x"))
	v0 := cid.NewCidV0(sha.Hash())
	commMh, _ := mh.Encode(bytes.Repeat([]byte{1}, 32), 0x1012)
	commD := cid.NewCidV1(0xf101, commMh)
	noPrefix := append([]byte{0xd8, 42, 0x58, 39, 0x01}, blakeCid(t, 0x71, []byte{0x80}).Bytes()...)
	onReachVersions(t, func(t *testing.T, nv network.Version, k engineKind) {
		var sc testactors.ReachScript
		create := func(codec uint64, data []byte, want uint32) {
			off := sc.Data(data)
			sc.Op(testactors.ReachCreate, want, uint32(codec), off, uint32(len(data)), 0)
		}
		for _, c := range []cid.Cid{sha, v0, blakeCid(t, 0x70, []byte("x"))} {
			create(0x71, links(c), eNotFound)
		}
		create(0x71, links(commD), eOK)
		sc.Op(testactors.ReachOpenAt, eNotFound, sc.Data(commD.Bytes()), 0)
		bad := [][]byte{{0x9f, 0x01, 0xff}, {0x01, 0x02}, {0xd8, 42, 0x63, 'a', 'b', 'c'}, noPrefix}
		for _, b := range bad {
			create(0x71, b, eSerialization)
			create(0x51, b, eOK)
			create(0x55, b, eOK)
			create(0x70, b, eIllegalCodec)
		}
		r := runReach(t, nv, k, testactors.ReachID, sc.Params())
		for i := range bad {
			wantOp(t, fmt.Sprintf("malformed %d as 0x70", i), r.op(5+4*i+3))
		}
	})
}

// Scenario 18: a link to an identity CID is scanned inline.
func TestReachV4Scenario18(t *testing.T) {
	onReachVersions(t, func(t *testing.T, nv network.Version, k engineKind) {
		x := []byte{0x81, 0x01}
		c := blakeCid(t, 0x71, x)
		good := links(identity(t, 0x71, links(c)))
		bad := links(identity(t, 0x71, links(blakeCid(t, 0x71, []byte{0x81, 0x02}))))
		var sc testactors.ReachScript
		xOff, gOff, bOff := sc.Data(x), sc.Data(good), sc.Data(bad)
		iOff := sc.Data(identity(t, 0x71, links(c)).Bytes())
		sc.Op(testactors.ReachCreate, eOK, 0x71, xOff, uint32(len(x)), 0).
			Op(testactors.ReachLink, eOK, 0, 0).
			Op(testactors.ReachCreate, eOK, 0x71, gOff, uint32(len(good)), 1).
			Op(testactors.ReachCreate, eNotFound, 0x71, bOff, uint32(len(bad)), 2).
			Op(testactors.ReachOpenAt, eNotFound, iOff, 3)
		r := runReach(t, nv, k, testactors.ReachID, sc.Params())
		// the accepted block has one link: a scan of 3 fields (array, tag
		// 42, and inside the identity CID array and tag 42 → 4) and 2 CIDs.
		wantOp(t, "inline link", r.op(2), gas("OnScanIpldLinks", 4*35+2*400), gas("OnBlockCreate", 10*int64(len(good))))
	})
}

// Scenario 19: set_root of a raw block once linked; of an unknown CID
// NotFound after 300; read-only: ReadOnly with no charge.
func TestReachV4Scenario19(t *testing.T) {
	onReachVersions(t, func(t *testing.T, nv network.Version, k engineKind) {
		raw := []byte("x")
		var child testactors.ReachScript
		child.Op(testactors.ReachSetRootAt, eReadOnly, child.Data(blakeCid(t, 0x55, raw).Bytes()))
		childParams := child.Params()
		var sc testactors.ReachScript
		unknown := sc.Data(blakeCid(t, 0x71, []byte{0x82, 0x01, 0x02}).Bytes())
		rawOff, cOff, self := sc.Data(raw), sc.Data(childParams), sc.Data(idAddr(testactors.ReachID).Bytes())
		sc.Op(testactors.ReachSetRootAt, eNotFound, unknown).
			Op(testactors.ReachCreate, eOK, 0x55, rawOff, 1, 0).
			Op(testactors.ReachLink, eOK, 0, 0).
			Op(testactors.ReachSetRootSlot, eOK, 0).
			Op(testactors.ReachCreate, eOK, 0x51, cOff, uint32(len(childParams)), 1).
			Op(testactors.ReachSend, eOK, self, uint32(len(idAddr(testactors.ReachID).Bytes())), 2, 1, 0, 1, 0)
		r := runReach(t, nv, k, testactors.ReachID, sc.Params())
		wantOp(t, "set_root unknown", r.op(0), gas("OnActorSetRoot", 300))
		if h := r.w.actor(testactors.ReachID).Head; h != blakeCid(t, 0x55, raw) {
			t.Errorf("head %s, want the raw block", h)
		}
		// The read-only child's set_root: its OnSyscall is followed by
		// nothing (no OnActorSetRoot).
		if n := len(r.named("OnActorSetRoot")); n != 2 {
			t.Errorf("%d OnActorSetRoot charges, want 2 (none in read-only)", n)
		}
	})
}

// Scenarios 20 and 21, example 20: params and returns carry their links.
// Reach2 opens S and sends a DAG-CBOR params block with two links (A, B) to
// Reach (method 2): OnMethodInvocation 75,600, and the callee opens A. The
// callee then links a raw "bytecode" block and returns [bytecode] from depth
// 2: OnReturnValue 300, and Reach2 opens the bytecode. Returned as CBOR
// (0x51) the same bytes carry nothing: OnReturnValue 0, and the open is
// NotFound. A method-0 send of the params runs no code and charges no
// invocation.
func TestReachV4Scenarios20And21(t *testing.T) {
	s := testactors.ReachState()
	onReachVersions(t, func(t *testing.T, nv network.Version, k engineKind) {
		for _, cbor := range []bool{false, true} {
			t.Run(fmt.Sprintf("return-as-cbor-%v", cbor), func(t *testing.T) {
				bytecode := []byte("bytecode")
				bc := blakeCid(t, 0x55, bytecode)
				retBlock := links(bc)
				retCodec := uint32(0x71)
				if cbor {
					retCodec = 0x51
				}
				var callee testactors.ReachScript
				aOff, bcOff, rOff := callee.Data(s.A.Bytes()), callee.Data(bytecode), callee.Data(retBlock)
				callee.Op(testactors.ReachOpenAt, eOK, aOff, 0).
					Op(testactors.ReachCreate, eOK, 0x55, bcOff, uint32(len(bytecode)), 1).
					Op(testactors.ReachLink, eOK, 1, 0).
					Op(testactors.ReachCreate, eOK, retCodec, rOff, uint32(len(retBlock)), 2).
					Op(testactors.ReachReturn, any, 2)
				calleeParams := callee.Params(testactors.LinkBytes(s.A), testactors.LinkBytes(s.B))
				to := idAddr(testactors.ReachID).Bytes()
				var sc testactors.ReachScript
				pOff, toOff, bcAt := sc.Data(calleeParams), sc.Data(to), sc.Data(bc.Bytes())
				openWant := uint32(eOK)
				if cbor {
					openWant = eNotFound
				}
				sc.Op(testactors.ReachRoot, eOK, 0).
					Op(testactors.ReachOpenSlot, eOK, 0, 0).
					Op(testactors.ReachCreate, eOK, 0x71, pOff, uint32(len(calleeParams)), 1).
					Op(testactors.ReachSend, eOK, toOff, uint32(len(to)), 2, 1, 0, 0, 0).
					Op(testactors.ReachOpenAt, openWant, bcAt, 2).
					Op(testactors.ReachSend, eOK, toOff, uint32(len(to)), 0, 1, 0, 0, 0)
				r := runReach(t, nv, k, testactors.Reach2ID, sc.Params())
				fee := int64(300)
				if cbor {
					fee = 0
				}
				// The message's own invocation first: its params are CBOR with
				// no links (scenario 23), 75,000.
				wantOp(t, "invocation and return", r.named("OnMethodInvocation", "OnReturnValue"),
					gas("OnMethodInvocation", 75_000), gas("OnMethodInvocation", 75_600), gas("OnReturnValue", fee))
			})
		}
	})
}

// Scenario 22: the return fee is paid inside the callee's gas limit. The
// callee returns its params (two links: fee 600). W is what the callee's
// frame used before the fee (read from a first run's trace: the charges
// between the send's OnSyscall and OnReturnValue, all the callee's); with a
// limit of ⌈W⌉ + 599 the fee does not fit: exit 7, no data, and the caller
// is charged the whole limit; with ⌈W⌉ + 600 it fits. At the top level a
// return of n bytes pays 1,300·n and no link fee.
func TestReachV4Scenario22(t *testing.T) {
	s := testactors.ReachState()
	onReachVersions(t, func(t *testing.T, nv network.Version, k engineKind) {
		var callee testactors.ReachScript
		callee.Op(testactors.ReachReturn, any, testactors.ReachParamsSlot)
		calleeParams := callee.Params(testactors.LinkBytes(s.A), testactors.LinkBytes(s.B))
		to := idAddr(testactors.ReachID).Bytes()
		script := func(limit uint32, exit uint32) []byte {
			var sc testactors.ReachScript
			pOff, toOff := sc.Data(calleeParams), sc.Data(to)
			sc.Op(testactors.ReachRoot, eOK, 0).
				Op(testactors.ReachOpenSlot, eOK, 0, 0).
				Op(testactors.ReachCreate, eOK, 0x71, pOff, uint32(len(calleeParams)), 1).
				Op(testactors.ReachSend, eOK, toOff, uint32(len(to)), 2, 1, limit, 0, exit)
			return sc.Params()
		}
		first := runReach(t, nv, k, testactors.Reach2ID, script(0, 0))
		w := calleeUse(t, first.log, 5)
		ceil := (w + 999) / 1000
		for _, tc := range []struct {
			limit int64
			exit  uint32
		}{{ceil + 599, 7}, {ceil + 600, 0}} {
			r := runReach(t, nv, k, testactors.Reach2ID, script(uint32(tc.limit), tc.exit))
			if r.res[3].Value != tc.exit {
				t.Errorf("limit %d: exit %d, want %d", tc.limit, r.res[3].Value, tc.exit)
			}
		}
		if fees := first.named("OnReturnValue", "OnChainReturnValue"); len(fees) != 2 ||
			fees[0] != gas("OnReturnValue", 600) || fees[1].name != "OnChainReturnValue" ||
			fees[1].milli != 1_300_000*int64(len(first.ret.Receipt.Return)) {
			t.Errorf("return charges %v, want OnReturnValue 600 then OnChainReturnValue 1,300/byte", fees)
		}
	})
}

// calleeUse sums what a send's callee frame charged before its return fee:
// the charges after the n-th OnSyscall (the send's) up to OnReturnValue.
func calleeUse(t *testing.T, log []rcharge, n int) int64 {
	t.Helper()
	seen, sum := 0, int64(0)
	for i, c := range log {
		if c.name == "OnSyscall" {
			seen++
			if seen == n+1 {
				for _, d := range log[i+1:] {
					if d.name == "OnReturnValue" {
						return sum
					}
					sum += d.milli
				}
			}
		}
	}
	t.Fatal("no send with a return fee in the trace")
	return 0
}

// Scenario 23: the message's params arrive as CBOR without links, whatever
// they contain: a CID they link (A, in the store) cannot be opened.
func TestReachV4Scenario23(t *testing.T) {
	s := testactors.ReachState()
	onReachVersions(t, func(t *testing.T, nv network.Version, k engineKind) {
		var sc testactors.ReachScript
		sc.Op(testactors.ReachOpenAt, eNotFound, sc.Data(s.A.Bytes()), 0)
		runReach(t, nv, k, testactors.ReachID, sc.Params(testactors.LinkBytes(s.A)))
	})
}

// block is a block a script creates.
type block struct {
	codec uint64
	data  []byte
}

// asRoot is a script for ReachID that creates and links children (so that
// they are reachable), makes root its state root, then sends itself a
// script that calls self.root and opens the root: the only block_open of
// the message.
func asRoot(t *testing.T, children []block, root block) []byte {
	var child testactors.ReachScript
	child.Op(testactors.ReachRoot, eOK, 0).Op(testactors.ReachOpenSlot, eOK, 0, 0)
	childParams := child.Params()
	var sc testactors.ReachScript
	for i, c := range children {
		off := sc.Data(c.data)
		sc.Op(testactors.ReachCreate, eOK, uint32(c.codec), off, uint32(len(c.data)), uint32(i%8)).
			Op(testactors.ReachLink, eOK, uint32(i%8), 1)
	}
	off := sc.Data(root.data)
	sc.Op(testactors.ReachCreate, eOK, uint32(root.codec), off, uint32(len(root.data)), 8).
		Op(testactors.ReachLink, eOK, 8, 2).
		Op(testactors.ReachSetRootSlot, eOK, 2)
	pOff, to := sc.Data(childParams), idAddr(testactors.ReachID).Bytes()
	toOff := sc.Data(to)
	sc.Op(testactors.ReachCreate, eOK, 0x51, pOff, uint32(len(childParams)), 9).
		Op(testactors.ReachSend, eOK, toOff, uint32(len(to)), 2, 9, 0, 0, 0)
	return sc.Params()
}

// pair runs f at nv20 and nv21 on both engines.
func pair(t *testing.T, f func(t *testing.T, nv network.Version, k engineKind, v4 bool)) {
	for _, nv := range []network.Version{network.Version20, network.Version21} {
		for _, k := range engineKinds {
			t.Run(fmt.Sprintf("nv%d/%s", nv, k), func(t *testing.T) { f(t, nv, k, nv >= network.Version21) })
		}
	}
}

// exampleCids are DAG-CBOR blocks whose CIDs play cidA, cidB, cidC.
var exampleChildren = []block{{0x71, []byte{0x81, 0x0a}}, {0x71, []byte{0x81, 0x0b}}, {0x71, []byte{0x81, 0x0c}}}

func childCid(t *testing.T, i int) cid.Cid { return blakeCid(t, 0x71, exampleChildren[i].data) }

// Examples 9–12 and scenario 30: block_open of a state root at nv20 (HYGGE)
// and nv21 (WATERMELON), the sheet's totals and splits.
func TestReachV4OpenExamples(t *testing.T) {
	pieceMh, _ := mh.Encode(bytes.Repeat([]byte{1}, 32), 0x1012)
	piece := cid.NewCidV1(0xf101, pieceMh)
	pair(t, func(t *testing.T, nv network.Version, k engineKind, v4 bool) {
		a, b := childCid(t, 0), childCid(t, 1)
		ex9 := append(append([]byte{0x83, 0x01}, testactors.LinkBytes(a)...), testactors.LinkBytes(b)...)
		ex11 := append([]byte{0xa4, 0x61, 'a', 0x01, 0x61, 'b', 0x19, 0x01, 0xf4, 0x61, 'c', 0x29,
			0x65, 'p', 'i', 'e', 'c', 'e'}, testactors.LinkBytes(piece)...)
		inner := append([]byte{0x82, 0x07}, testactors.LinkBytes(a)...)
		ex12 := append(append([]byte{0x82}, testactors.LinkBytes(identity(t, 0x71, inner))...), 0xc1, 0x1a, 0x65, 0x53, 0xf1, 0x00)
		var tenLinks [][]byte
		var tenChildren []block
		for i := 0; i < 10; i++ {
			c := block{0x55, []byte{byte(i)}}
			tenChildren = append(tenChildren, c)
			tenLinks = append(tenLinks, testactors.LinkBytes(blakeCid(t, 0x55, c.data)))
		}
		sc30 := append([]byte{0x82, 0x59, 0x02, 0x35}, bytes.Repeat([]byte{7}, 565)...)
		sc30 = append(sc30, 0x8a)
		for _, l := range tenLinks {
			sc30 = append(sc30, l...)
		}
		for _, tc := range []struct {
			name     string
			children []block
			root     block
			size     int
			v4, v3   []rcharge
		}{
			// ex 9: F = 4, C = 2: 940; max(880, 211.2 + 600) = 880.
			{"ex9", exampleChildren[:2], block{0x71, ex9}, 88,
				[]rcharge{gas("OnBlockOpenBase", 187_740), gas("OnScanIpldLinks", 940), gas("OnBlockOpen", 880)},
				[]rcharge{gas("OnBlockOpenBase", 187_440), gas("OnBlockOpenPerByte", 880)}},
			// ex 10: a raw block is not scanned (a charge of 0).
			{"ex10", nil, block{0x55, bytes.Repeat([]byte{0xee}, 1000)}, 1000,
				[]rcharge{gas("OnBlockOpenBase", 187_740), gas("OnScanIpldLinks", 0), gas("OnBlockOpen", 10_000)},
				[]rcharge{gas("OnBlockOpenBase", 187_440), gas("OnBlockOpenPerByte", 10_000)}},
			// ex 11: F = 9, C = 1: 715; 620. The piece CID is no link.
			{"ex11", nil, block{0x71, ex11}, 62,
				[]rcharge{gas("OnBlockOpenBase", 187_740), gas("OnScanIpldLinks", 715), gas("OnBlockOpen", 620)},
				[]rcharge{gas("OnBlockOpenBase", 187_440), gas("OnBlockOpenPerByte", 620)}},
			// ex 12: F = 7, C = 2: 1,045; 610.
			{"ex12", exampleChildren[:1], block{0x71, ex12}, 61,
				[]rcharge{gas("OnBlockOpenBase", 187_740), gas("OnScanIpldLinks", 1_045), gas("OnBlockOpen", 610)},
				[]rcharge{gas("OnBlockOpenBase", 187_440), gas("OnBlockOpenPerByte", 610)}},
			// scenario 30: 1,000 bytes, 10 links: F = 13, C = 10: 4,455;
			// max(10,000, 2,400 + 3,000).
			{"scenario30", tenChildren, block{0x71, sc30}, 1000,
				[]rcharge{gas("OnBlockOpenBase", 187_740), gas("OnScanIpldLinks", 4_455), gas("OnBlockOpen", 10_000)},
				[]rcharge{gas("OnBlockOpenBase", 187_440), gas("OnBlockOpenPerByte", 10_000)}},
		} {
			if len(tc.root.data) != tc.size {
				t.Fatalf("%s: %d bytes, the sheet says %d", tc.name, len(tc.root.data), tc.size)
			}
			r := runReach(t, nv, k, testactors.ReachID, asRoot(t, tc.children, tc.root))
			want := tc.v3
			if v4 {
				want = tc.v4
			}
			wantOp(t, tc.name, r.syscallWith("OnBlockOpenBase"), want...)
		}
	})
}

func gm(name string, milli int64) rcharge { return rcharge{name, milli} }

// Examples 14–19 in one script at nv20 and nv21: creates with reachable and
// unknown links, a bad codec, a scan that fails part-way, block_link of 88
// and 130 bytes, a new state written and set as root (the actor's first
// write), a second set_root, and self.root.
func TestReachV4CreateLinkRootExamples(t *testing.T) {
	pair(t, func(t *testing.T, nv network.Version, k engineKind, v4 bool) {
		a, b, c := childCid(t, 0), childCid(t, 1), childCid(t, 2)
		unknown := blakeCid(t, 0x71, []byte{0x81, 0x0d})
		ex9 := append(append([]byte{0x83, 0x01}, testactors.LinkBytes(a)...), testactors.LinkBytes(b)...)
		var sc testactors.ReachScript
		type step struct {
			name   string
			v4, v3 []rcharge
		}
		var steps []step
		op := func(name string, want4, want3 uint32, v4c, v3c []rcharge, opcode uint32, args ...uint32) {
			want := want3
			if v4 {
				want = want4
			}
			sc.Op(opcode, want, args...)
			steps = append(steps, step{name, v4c, v3c})
		}
		// Example 19: self.root, 300 each call (nv20 nothing).
		op("ex19 root", eOK, eOK, []rcharge{gas("OnActorGetRoot", 300)}, nil, testactors.ReachRoot, 4)
		op("ex19 root again", eOK, eOK, []rcharge{gas("OnActorGetRoot", 300)}, nil, testactors.ReachRoot, 4)
		for i, ch := range exampleChildren {
			off := sc.Data(ch.data)
			op("child", eOK, eOK, nil, nil, testactors.ReachCreate, 0x71, off, 2, uint32(i))
			op("link child", eOK, eOK, nil, nil, testactors.ReachLink, uint32(i), uint32(i))
		}
		// Example 14: [A, B, C], 130 bytes: scan 4·35 + 3·400 = 1,340,
		// create max(1,300, 312 + 900) = 1,300 (nv20 1,300). With the third
		// link unknown: the same charges, then NotFound (nv20: stored).
		abc, abd := links(a, b, c), links(a, b, unknown)
		op("ex14", eOK, eOK, []rcharge{gas("OnScanIpldLinks", 1_340), gas("OnBlockCreate", 1_300)},
			[]rcharge{gas("OnBlockCreate", 1_300)}, testactors.ReachCreate, 0x71, sc.Data(abc), 130, 3)
		op("ex14 unknown link", eNotFound, eOK, []rcharge{gas("OnScanIpldLinks", 1_340), gas("OnBlockCreate", 1_300)},
			[]rcharge{gas("OnBlockCreate", 1_300)}, testactors.ReachCreate, 0x71, sc.Data(abd), 130, 4)
		// Example 15: dag-pb, 100 bytes: IllegalCodec, no charge at nv21;
		// 1,000 first at nv20.
		op("ex15", eIllegalCodec, eIllegalCodec, nil, []rcharge{gas("OnBlockCreate", 1_000)},
			testactors.ReachCreate, 0x70, sc.Data(make([]byte, 100)), 100, 4)
		// Example 16: 82 01: 105, Serialization (nv20: stored, 10·2).
		op("ex16", eSerialization, eOK, []rcharge{gas("OnScanIpldLinks", 105)}, []rcharge{gas("OnBlockCreate", 20)},
			testactors.ReachCreate, 0x71, sc.Data([]byte{0x82, 0x01}), 2, 4)
		// Example 17: block_link of 88 and 130 bytes: 506,300 + 3,352.4n
		// (nv20 300 less).
		for i, n := range []int{88, 130} {
			op("raw", eOK, eOK, nil, nil, testactors.ReachCreate, 0x55, sc.Data(bytes.Repeat([]byte{byte(n)}, n)), uint32(n), uint32(5+i))
			op(fmt.Sprintf("ex17 link %d", n), eOK, eOK, []rcharge{gm("OnBlockLink", 506_300_000+3_352_400*int64(n))},
				[]rcharge{gm("OnBlockLink", 506_000_000+3_352_400*int64(n))}, testactors.ReachLink, uint32(5+i), 5)
		}
		// Example 18: create [1, A, B] (scan 940 + create 880), link it, set
		// it as the root as the actor's first write (300 + 475,000), then a
		// second set_root (300; nv20 nothing).
		op("ex18 create", eOK, eOK, []rcharge{gas("OnScanIpldLinks", 940), gas("OnBlockCreate", 880)},
			[]rcharge{gas("OnBlockCreate", 880)}, testactors.ReachCreate, 0x71, sc.Data(ex9), 88, 7)
		op("ex18 link", eOK, eOK, []rcharge{gm("OnBlockLink", 801_311_200)}, []rcharge{gm("OnBlockLink", 801_011_200)},
			testactors.ReachLink, 7, 6)
		op("ex18 set_root", eOK, eOK, []rcharge{gas("OnActorSetRoot", 300), gas("OnActorUpdate", 475_000)},
			[]rcharge{gas("OnActorUpdate", 475_000)}, testactors.ReachSetRootSlot, 6)
		op("ex18 second set_root", eOK, eOK, []rcharge{gas("OnActorSetRoot", 300)}, nil, testactors.ReachSetRootSlot, 6)
		r := runReach(t, nv, k, testactors.ReachID, sc.Params())
		var ex18 int64
		for i, st := range steps {
			if st.v4 == nil && st.v3 == nil {
				continue
			}
			want := st.v3
			if v4 {
				want = st.v4
			}
			got := r.op(i)
			wantOp(t, st.name, got, want...)
			if strings.HasPrefix(st.name, "ex18") && st.name != "ex18 second set_root" {
				for _, c := range got {
					ex18 += c.milli
				}
			}
		}
		// The sheet's total for example 18: 1,278,431.2 (nv20 1,276,891.2).
		if want := map[bool]int64{true: 1_278_431_200, false: 1_276_891_200}[v4]; ex18 != want {
			t.Errorf("example 18 total %d mg, want %d", ex18, want)
		}
	})
}

// Example 20: an internal send (method 2) whose params carry 2 links pays
// OnMethodInvocation 75,600 (nv20 75,000); the callee returns a block with 3
// links from depth 2: OnReturnValue 900 (nv20 nothing); the top-level return
// of 40 bytes (five results): OnChainReturnValue 52,000.
func TestReachV4Example20(t *testing.T) {
	s := testactors.ReachState()
	pair(t, func(t *testing.T, nv network.Version, k engineKind, v4 bool) {
		var callee testactors.ReachScript
		ret := links(s.A, s.B, s.A)
		callee.Op(testactors.ReachCreate, eOK, 0x71, callee.Data(ret), uint32(len(ret)), 0).
			Op(testactors.ReachReturn, any, 0)
		calleeParams := callee.Params(testactors.LinkBytes(s.A), testactors.LinkBytes(s.B))
		to := idAddr(testactors.ReachID).Bytes()
		var sc testactors.ReachScript
		pOff, toOff, aOff := sc.Data(calleeParams), sc.Data(to), sc.Data(s.A.Bytes())
		sc.Op(testactors.ReachRoot, eOK, 0).
			Op(testactors.ReachOpenSlot, eOK, 0, 0).
			Op(testactors.ReachCreate, eOK, 0x71, pOff, uint32(len(calleeParams)), 1).
			Op(testactors.ReachSend, eOK, toOff, uint32(len(to)), 2, 1, 0, 0, 0).
			Op(testactors.ReachOpenAt, eOK, aOff, 2)
		r := runReach(t, nv, k, testactors.Reach2ID, sc.Params())
		if len(r.ret.Receipt.Return) != 40 {
			t.Fatalf("return of %d bytes", len(r.ret.Receipt.Return))
		}
		got := r.named("OnMethodInvocation", "OnReturnValue", "OnChainReturnValue")
		if v4 {
			wantOp(t, "nv21", got, gas("OnMethodInvocation", 75_000), gas("OnMethodInvocation", 75_600),
				gas("OnReturnValue", 900), gas("OnChainReturnValue", 52_000))
		} else {
			wantOp(t, "nv20", got, gas("OnMethodInvocation", 75_000), gas("OnMethodInvocation", 75_000),
				gas("OnChainReturnValue", 52_000))
		}
	})
}

// fvm-abi-next.md §4.6 at the message level: the same scripts at nv20 with
// the strict option and at nv21, on both engines (the kernel's
// TestReachStrictVersusConsensus has the full table).
func TestReachV4StrictVersusConsensus(t *testing.T) {
	s := testactors.ReachState()
	pair(t, func(t *testing.T, nv network.Version, k engineKind, v4 bool) {
		for _, row := range []struct {
			name       string
			actor      abi.ActorID
			build      func(sc *testactors.ReachScript) // the last instruction is measured
			err4, err3 uint32
			v4, v3     []rcharge
		}{
			{"item 6: the state root before self.root", testactors.Reach2ID,
				func(sc *testactors.ReachScript) { sc.Op(testactors.ReachOpenAt, any, sc.Data(s.S.Bytes()), 0) },
				eNotFound, eOK, []rcharge{gas("OnBlockOpenBase", 187_740)},
				[]rcharge{gas("OnBlockOpenBase", 187_440), gas("OnBlockOpenPerByte", 870)}},
			{"item 4: an unreachable CID", testactors.ReachID,
				func(sc *testactors.ReachScript) { sc.Op(testactors.ReachOpenAt, any, sc.Data(s.A.Bytes()), 0) },
				eNotFound, eNotFound, []rcharge{gas("OnBlockOpenBase", 187_740)}, nil},
			{"item 2: a codec outside the set", testactors.ReachID,
				func(sc *testactors.ReachScript) {
					sc.Op(testactors.ReachCreate, any, 0x70, sc.Data([]byte{0x80}), 1, 0)
				},
				eIllegalCodec, eIllegalCodec, nil, []rcharge{gas("OnBlockCreate", 10)}},
			{"beyond the list: linking a code CID", testactors.ReachID,
				func(sc *testactors.ReachScript) {
					sc.Op(testactors.ReachCodeCid, eOK, uint32(testactors.ReachID), 0)
					code := testactors.LinkBytes(testGenesis(t, nv).Bundle.Codes[testactors.Reach])
					sc.Op(testactors.ReachCreate, any, 0x71, sc.Data(append([]byte{0x81}, code...)), uint32(1+len(code)), 0)
				},
				eNotFound, eOK, []rcharge{gas("OnScanIpldLinks", 470), gas("OnBlockCreate", 440)},
				[]rcharge{gas("OnBlockCreate", 440)}},
			{"beyond the list: set_root of an unknown CID", testactors.ReachID,
				func(sc *testactors.ReachScript) {
					sc.Op(testactors.ReachSetRootAt, any, sc.Data(blakeCid(t, 0x71, []byte{0x81, 0x0e}).Bytes()))
				},
				eNotFound, eNotFound, []rcharge{gas("OnActorSetRoot", 300)}, nil},
		} {
			var sc testactors.ReachScript
			row.build(&sc)
			var opts []kernel.Option
			if !v4 {
				opts = append(opts, kernel.WithReachability(kernel.ReachabilityStrict))
			}
			r := runReach(t, nv, k, row.actor, sc.Params(), opts...)
			last := sc.Len() - 1
			want, wantErr := row.v3, row.err3
			if v4 {
				want, wantErr = row.v4, row.err4
			}
			if r.res[last].Errno != wantErr {
				t.Errorf("%s: error %d, want %d", row.name, r.res[last].Errno, wantErr)
			}
			wantOp(t, row.name, r.op(last), want...)
		}
	})
}
