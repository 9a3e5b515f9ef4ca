package kernel

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/rules"
	"github.com/gofvm/gofvm/syscalls"
)

// fvm-abi-next.md §14 scenarios 13–23 and 30 in the kernel, driven by Go
// actors (the wasm versions, on both engines, are in the integration tests).
// Charges are the syscall's own, in whole gas, without OnSyscall; each
// expected value is worked from fvm-gas-next.md §2.4 and §3 in the comment
// beside it. Every scenario runs at the first WATERMELON and TEEP versions
// and at the last version.
var reachVersions = []network.Version{network.Version21, network.Version25, network.Version28}

func forReachVersions(t *testing.T, fn func(t *testing.T, w *reachWorld)) {
	for _, nv := range reachVersions {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) { fn(t, newReachWorld(t, nv)) })
	}
}

// stateS is a state root S = [A, B] (87 bytes: array header, two 43-byte
// links) with A the raw block "a" and B the DAG-CBOR block [1], all in the
// blockstore.
func stateS(w *reachWorld) (s, a, b cid.Cid, sData []byte) {
	a = w.put(0x55, []byte("a"))
	b = w.put(0x71, []byte{0x81, 0x01})
	sData = cbLinks(a, b)
	return w.put(0x71, sData), a, b, sData
}

// Scenario 13: the state root is not reachable until self.root. Opening it
// first is NotFound after OnBlockOpenBase (300 + 187,440); self.root costs
// 300; then S opens: scan F = 3 (array, two tags), C = 2 → 105 + 800 = 905;
// OnBlockOpen(87, 2) = max(870, 208.8 + 600) = 870. Its links are then
// reachable: A (raw, 1 byte) opens with a scan of 0 and max(10, 2.4) = 10.
func TestReachScenario13OpenStateBeforeRoot(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		ran := false
		actor := w.f.addActor("s13", 0, func(k *invocationKernel, _ uint32) Outcome {
			ran = true
			head := w.actorState(k.receiver).Head
			var err error
			got := w.log.during(func() { _, _, err = k.BlockOpen(head) })
			wantErr(t, "open before root", err, errno.NotFound)
			wantCharges(t, "open before root", got, g("OnBlockOpenBase", 187_740))
			var root cid.Cid
			got = w.log.during(func() { root, err = k.Root() })
			wantErr(t, "root", err, 0)
			wantCharges(t, "root", got, g("OnActorGetRoot", 300))
			if root != head {
				t.Errorf("root %s, want %s", root, head)
			}
			got = w.log.during(func() { _, _, err = k.BlockOpen(root) })
			wantErr(t, "open after root", err, 0)
			wantCharges(t, "open after root", got, g("OnBlockOpenBase", 187_740), g("OnScanIpldLinks", 905), g("OnBlockOpen", 870))
			a := blake(t, 0x55, []byte("a"))
			got = w.log.during(func() { _, _, err = k.BlockOpen(a) })
			wantErr(t, "open a link of the state", err, 0)
			wantCharges(t, "open a link of the state", got, g("OnBlockOpenBase", 187_740), g("OnScanIpldLinks", 0), g("OnBlockOpen", 10))
			return Outcome{Kind: Returned}
		})
		s, _, _, _ := stateS(w)
		w.setHead(actor, s)
		mustOK(t, w.apply(actor, nil))
		if !ran {
			t.Fatal("actor did not run")
		}
	})
}

// Scenario 14: a code CID handed out by get_actor_code_cid is not reachable.
func TestReachScenario14CodeCid(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		actor := w.f.addActor("s14", 0, func(k *invocationKernel, _ uint32) Outcome {
			code, err := k.GetActorCodeCid(k.receiver)
			wantErr(t, "get_actor_code_cid", err, 0)
			got := w.log.during(func() { _, _, err = k.BlockOpen(code) })
			wantErr(t, "open code cid", err, errno.NotFound)
			wantCharges(t, "open code cid", got, g("OnBlockOpenBase", 187_740))
			_, err = k.BlockCreate(0x71, cbLinks(code))
			wantErr(t, "link a code cid", err, errno.NotFound)
			return Outcome{Kind: Returned}
		})
		mustOK(t, w.apply(actor, nil))
	})
}

// Scenario 15: block_create of [tag42(C)] (44 bytes) with C never seen is
// NotFound after OnScanIpldLinks 2·35 + 400 = 470 and OnBlockCreate(44, 1) =
// max(440, 105.6 + 300) = 440; once block_link has produced C the same call
// succeeds, with the same charges. The new block's own CID is not reachable.
func TestReachScenario15CreateUnreachableLink(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		x := []byte{0x81, 0x01}
		c := blake(t, 0x71, x)
		d := cbLinks(c)
		actor := w.f.addActor("s15", 0, func(k *invocationKernel, _ uint32) Outcome {
			if len(d) != 44 {
				t.Fatalf("block is %d bytes", len(d))
			}
			var err error
			got := w.log.during(func() { _, err = k.BlockCreate(0x71, d) })
			wantErr(t, "create before link", err, errno.NotFound)
			wantCharges(t, "create before link", got, g("OnScanIpldLinks", 470), g("OnBlockCreate", 440))
			xid, err := k.BlockCreate(0x71, x)
			wantErr(t, "create x", err, 0)
			if _, _, err := k.BlockOpen(c); err == nil {
				t.Error("a created block is reachable before block_link")
			}
			linked, err := k.BlockLink(xid, 0xb220, 32)
			if err != nil || linked != c {
				t.Fatalf("block_link = %s, %v", linked, err)
			}
			var id uint32
			got = w.log.during(func() { id, err = k.BlockCreate(0x71, d) })
			wantErr(t, "create after link", err, 0)
			wantCharges(t, "create after link", got, g("OnScanIpldLinks", 470), g("OnBlockCreate", 440))
			if b, _ := k.reg.get(id); b == nil || len(b.Links) != 1 || b.Links[0] != c {
				t.Errorf("block links %v, want [%s]", b, c)
			}
			return Outcome{Kind: Returned}
		})
		mustOK(t, w.apply(actor, nil))
	})
}

// Scenario 16: links of forbidden shape are NotFound (fvm-abi-next.md §4.2);
// a commitment CID is ignored (zero links) and cannot be opened.
func TestReachScenario16ForbiddenLinks(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		sha, err := cid.V1Builder{Codec: 0x71, MhType: mh.SHA2_256}.Sum([]byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		v0 := cid.NewCidV0(sha.Hash())
		pb := blake(t, 0x70, []byte("x"))
		commMh, err := mh.Encode(bytes.Repeat([]byte{1}, 32), 0x1012)
		if err != nil {
			t.Fatal(err)
		}
		commD := cid.NewCidV1(0xf101, commMh)
		actor := w.f.addActor("s16", 0, func(k *invocationKernel, _ uint32) Outcome {
			for name, c := range map[string]cid.Cid{"sha2-256": sha, "CIDv0": v0, "dag-pb codec": pb} {
				_, err := k.BlockCreate(0x71, cbLinks(c))
				wantErr(t, name, err, errno.NotFound)
			}
			id, err := k.BlockCreate(0x71, cbLinks(commD))
			wantErr(t, "CommD link", err, 0)
			if b, _ := k.reg.get(id); b == nil || len(b.Links) != 0 {
				t.Errorf("CommD block has links %v", b)
			}
			_, _, err = k.BlockOpen(commD)
			wantErr(t, "open CommD", err, errno.NotFound)
			return Outcome{Kind: Returned}
		})
		mustOK(t, w.apply(actor, nil))
	})
}

// Scenario 17: malformed DAG-CBOR is Serialization; the same bytes as CBOR
// or raw are not scanned and are accepted; codec 0x70 is IllegalCodec before
// any charge.
func TestReachScenario17MalformedCBOR(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		c := blake(t, 0x71, []byte{0x80})
		noPrefix := append([]byte{0xd8, 42, 0x58, 39, 0x01}, c.Bytes()...)
		actor := w.f.addActor("s17", 0, func(k *invocationKernel, _ uint32) Outcome {
			for _, tc := range []struct {
				name string
				data []byte
			}{
				{"indefinite array", []byte{0x9f, 0x01, 0xff}},
				{"trailing byte", []byte{0x01, 0x02}},
				{"tag 42 over a text string", []byte{0xd8, 42, 0x63, 'a', 'b', 'c'}},
				{"tag 42 bytes without the 0x00 prefix", noPrefix},
			} {
				_, err := k.BlockCreate(0x71, tc.data)
				wantErr(t, tc.name, err, errno.Serialization)
				for _, codec := range []uint64{0x51, 0x55} {
					_, err := k.BlockCreate(codec, tc.data)
					wantErr(t, fmt.Sprintf("%s as %#x", tc.name, codec), err, 0)
				}
				var got []charge
				got = w.log.during(func() { _, err = k.BlockCreate(0x70, tc.data) })
				wantErr(t, tc.name+" as 0x70", err, errno.IllegalCodec)
				wantCharges(t, tc.name+" as 0x70", got)
			}
			return Outcome{Kind: Returned}
		})
		mustOK(t, w.apply(actor, nil))
	})
}

// Scenario 18: a link to an identity CID is scanned inline: with C
// reachable the block is accepted and its links are [C]; with C unknown it
// is NotFound; the identity CID itself cannot be opened.
func TestReachScenario18IdentityInline(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		x := []byte{0x81, 0x01}
		c := blake(t, 0x71, x)
		stranger := blake(t, 0x71, []byte{0x81, 0x02})
		inline := identityCid(t, 0x71, cbLinks(c))
		inlineBad := identityCid(t, 0x71, cbLinks(stranger))
		actor := w.f.addActor("s18", 0, func(k *invocationKernel, _ uint32) Outcome {
			xid, _ := k.BlockCreate(0x71, x)
			if _, err := k.BlockLink(xid, 0xb220, 32); err != nil {
				t.Fatal(err)
			}
			id, err := k.BlockCreate(0x71, cbLinks(inline))
			wantErr(t, "inline link to a reachable cid", err, 0)
			if b, _ := k.reg.get(id); b == nil || len(b.Links) != 1 || b.Links[0] != c {
				t.Errorf("links %v, want [%s]", b, c)
			}
			_, err = k.BlockCreate(0x71, cbLinks(inlineBad))
			wantErr(t, "inline link to an unknown cid", err, errno.NotFound)
			_, _, err = k.BlockOpen(inline)
			wantErr(t, "open the identity cid", err, errno.NotFound)
			return Outcome{Kind: Returned}
		})
		mustOK(t, w.apply(actor, nil))
	})
}

// Scenario 19: the root may be any reachable CID, raw included; a CID never
// made reachable is NotFound after OnActorSetRoot (300); in read-only mode
// set_root is ReadOnly before any charge.
func TestReachScenario19SetRoot(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		rawX := blake(t, 0x55, []byte("x"))
		var self abi.ActorID
		self = w.f.addActor("s19", 0, func(k *invocationKernel, _ uint32) Outcome {
			if k.method == 3 { // read-only
				var err error
				got := w.log.during(func() { err = k.SetRoot(rawX) })
				wantErr(t, "read-only set_root", err, errno.ReadOnly)
				wantCharges(t, "read-only set_root", got)
				return Outcome{Kind: Returned}
			}
			var err error
			got := w.log.during(func() { err = k.SetRoot(blake(t, 0x71, []byte{0x82, 0x01, 0x02})) })
			wantErr(t, "set_root of an unknown cid", err, errno.NotFound)
			wantCharges(t, "set_root of an unknown cid", got, g("OnActorSetRoot", 300))
			id, _ := k.BlockCreate(0x55, []byte("x"))
			if c, err := k.BlockLink(id, 0xb220, 32); err != nil || c != rawX {
				t.Fatalf("block_link %s, %v", c, err)
			}
			wantErr(t, "set_root of a linked raw block", k.SetRoot(rawX), 0)
			res, err := k.Send(context.Background(), idAddr(self), 3, 0, big.Zero(), nil, syscalls.ReadOnly)
			if err != nil || res.ExitCode != 0 {
				t.Errorf("read-only send: %+v, %v", res, err)
			}
			return Outcome{Kind: Returned}
		})
		mustOK(t, w.apply(self, nil))
		if h := actorOf(t, w.m, self).Head; h != rawX {
			t.Errorf("head %s, want the raw block %s", h, rawX)
		}
	})
}

// stateParent is an actor whose state is S = [A, B]; the script gets S's
// block id after self.root and block_open.
func (w *reachWorld) stateParent(name string, script func(k *invocationKernel, sid uint32)) abi.ActorID {
	t := w.t
	id := w.f.addActor(name, 0, func(k *invocationKernel, _ uint32) Outcome {
		root, err := k.Root()
		if err != nil {
			t.Fatal(err)
		}
		sid, _, err := k.BlockOpen(root)
		if err != nil {
			t.Fatal(err)
		}
		script(k, sid)
		return Outcome{Kind: Returned}
	})
	s, _, _, _ := stateS(w)
	w.setHead(id, s)
	return id
}

func chargeNamed(cs []charge, name string) (charge, bool) {
	for _, c := range cs {
		if c.name == name {
			return c, true
		}
	}
	return charge{}, false
}

// Scenario 20: S's block sent as params (method 2) carries its links to the
// callee, which pays OnMethodInvocation 75,000 + 2·300 = 75,600 and can open
// A; a method-0 send of the same block charges no invocation and runs no
// code.
func TestReachScenario20ParamsCarryLinks(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		ran := 0
		callee := w.f.addActor("s20-callee", 0, func(k *invocationKernel, params uint32) Outcome {
			ran++
			_, _, err := k.BlockOpen(blake(t, 0x55, []byte("a")))
			wantErr(t, "callee opens A", err, 0)
			_, _, err = k.BlockOpen(w.actorState(k.receiver).Head)
			wantErr(t, "callee opens its own state without self.root", err, errno.NotFound)
			return Outcome{Kind: Returned}
		})
		parent := w.stateParent("s20", func(k *invocationKernel, sid uint32) {
			got := w.log.during(func() {
				res, err := k.Send(context.Background(), idAddr(callee), 2, sid, big.Zero(), nil, 0)
				if err != nil || res.ExitCode != 0 {
					t.Errorf("send: %+v, %v", res, err)
				}
			})
			if c, ok := chargeNamed(got, "OnMethodInvocation"); !ok || c != g("OnMethodInvocation", 75_600) {
				t.Errorf("method 2: %v, want OnMethodInvocation 75,600", got)
			}
			got = w.log.during(func() {
				res, err := k.Send(context.Background(), idAddr(callee), 0, sid, big.Zero(), nil, 0)
				if err != nil || res.ExitCode != 0 {
					t.Errorf("method-0 send: %+v, %v", res, err)
				}
			})
			if _, ok := chargeNamed(got, "OnMethodInvocation"); ok {
				t.Errorf("method 0 charged an invocation: %v", got)
			}
		})
		mustOK(t, w.apply(parent, nil))
		if ran != 1 {
			t.Errorf("callee ran %d times, want once", ran)
		}
	})
}

// Scenario 21: a block returned from depth 2 carries its links back: the
// callee pays OnReturnValue 300 (one link) and the caller can open the
// linked CID; the same bytes returned as CBOR (0x51) carry nothing
// (OnReturnValue 0) and the caller's block_open is NotFound.
func TestReachScenario21ReturnCarriesLinks(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		bytecode := blake(t, 0x55, []byte("bytecode"))
		callee := w.f.addActor("s21-callee", 0, func(k *invocationKernel, _ uint32) Outcome {
			id, _ := k.BlockCreate(0x55, []byte("bytecode"))
			if c, err := k.BlockLink(id, 0xb220, 32); err != nil || c != bytecode {
				t.Fatalf("block_link %s, %v", c, err)
			}
			codec := uint64(0x71)
			if k.method == 3 {
				codec = 0x51
			}
			ret, err := k.BlockCreate(codec, cbLinks(bytecode))
			if err != nil {
				t.Fatal(err)
			}
			return Outcome{Kind: Returned, BlockID: ret}
		})
		parent := w.f.addActor("s21", 0, func(k *invocationKernel, _ uint32) Outcome {
			for _, tc := range []struct {
				method  abi.MethodNum
				fee     int64
				openErr errno.Number
			}{{3, 0, errno.NotFound}, {2, 300, 0}} {
				got := w.log.during(func() {
					res, err := k.Send(context.Background(), idAddr(callee), tc.method, 0, big.Zero(), nil, 0)
					if err != nil || res.ExitCode != 0 || res.ReturnID == 0 {
						t.Errorf("send: %+v, %v", res, err)
					}
				})
				if c, ok := chargeNamed(got, "OnReturnValue"); !ok || c != g("OnReturnValue", tc.fee) {
					t.Errorf("method %d: %v, want OnReturnValue %d", tc.method, got, tc.fee)
				}
				_, _, err := k.BlockOpen(bytecode)
				wantErr(t, fmt.Sprintf("method %d: caller opens the bytecode", tc.method), err, tc.openErr)
			}
			return Outcome{Kind: Returned}
		})
		mustOK(t, w.apply(parent, nil))
	})
}

// Scenario 22: the return fee is paid inside the callee's gas limit. The
// child returns the params it got (S, two links) and does nothing else, so
// its frame pays OnActorLookup 500,000 (first read of the child),
// OnMethodInvocation 75,000 + 2·300 = 75,600, wasm_memory_init for 17 pages
// 17·65,536·0.4 = 445,644.8 (fvm-gas-next.md §10 ex 26): 1,021,244.8, then
// OnReturnValue 600. A limit of 1,021,245 leaves 0.2: the child is reverted
// and the parent's send returns exit 7 without data, having paid the whole
// limit; 1,021,845 covers the fee. At the top level a return of S (87
// bytes) costs OnChainReturnValue 1,300·87 = 113,100 and no link fee.
func TestReachScenario22ReturnFeeOutOfGas(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		child := w.f.addActor("s22-child", 0, func(k *invocationKernel, params uint32) Outcome {
			return Outcome{Kind: Returned, BlockID: params}
		})
		parent := w.stateParent("s22", func(k *invocationKernel, sid uint32) {
			for _, tc := range []struct {
				limit uint64
				exit  uint32
				paid  int64 // milligas
			}{{1_021_245, 7, 1_021_245_000}, {1_021_845, 0, 1_021_844_800}} {
				before := k.cm.gas.Used()
				res, err := k.Send(context.Background(), idAddr(child), 2, sid, big.Zero(), &tc.limit, 0)
				if err != nil || res.ExitCode != tc.exit || (res.ReturnID != 0) != (tc.exit == 0) {
					t.Errorf("limit %d: send %+v, %v; want exit %d", tc.limit, res, err, tc.exit)
				}
				if paid := int64(k.cm.gas.Used() - before); paid != tc.paid {
					t.Errorf("limit %d: parent paid %s, want %s", tc.limit, milliString(paid), milliString(tc.paid))
				}
			}
		})
		mustOK(t, w.apply(parent, nil))

		// The top level: an actor returning S.
		top := w.f.addActor("s22-top", 0, func(k *invocationKernel, _ uint32) Outcome {
			root, _ := k.Root()
			sid, _, err := k.BlockOpen(root)
			if err != nil {
				t.Fatal(err)
			}
			return Outcome{Kind: Returned, BlockID: sid}
		})
		s, _, _, sData := stateS(w)
		w.setHead(top, s)
		var ret *ApplyRet
		got := w.log.during(func() { ret = w.apply(top, nil) })
		mustOK(t, ret)
		if !bytes.Equal(ret.Receipt.Return, sData) {
			t.Errorf("return %x", ret.Receipt.Return)
		}
		if _, ok := chargeNamed(got, "OnReturnValue"); ok {
			t.Errorf("a top-level return paid a link fee: %v", got)
		}
		if c, ok := chargeNamed(got, "OnChainReturnValue"); !ok || c != g("OnChainReturnValue", 113_100) {
			t.Errorf("charges %v, want OnChainReturnValue 113,100", got)
		}
	})
}

// Scenario 23: message params arrive as a CBOR (0x51) block with no links,
// whatever they contain: a CID they name cannot be opened.
func TestReachScenario23TopLevelParams(t *testing.T) {
	forReachVersions(t, func(t *testing.T, w *reachWorld) {
		a := w.put(0x55, []byte("a"))
		actor := w.f.addActor("s23", 0, func(k *invocationKernel, params uint32) Outcome {
			st, err := k.BlockStat(params)
			if err != nil || st.Codec != 0x51 {
				t.Errorf("params stat %+v, %v; want codec 0x51", st, err)
			}
			if b, _ := k.reg.get(params); b == nil || len(b.Links) != 0 {
				t.Errorf("params block %v carries links", b)
			}
			_, _, err = k.BlockOpen(a)
			wantErr(t, "open a CID named in the params", err, errno.NotFound)
			return Outcome{Kind: Returned}
		})
		mustOK(t, w.apply(actor, cbLinks(a)))
	})
}

// Scenario 30: the same block_open of a 1,000-byte DAG-CBOR block with 10
// links at nv20 (HYGGE) and nv21 (WATERMELON). The block is
// [bytes(565), [10 links]]: 1 + 3 + 565 + 1 + 10·43 = 1,000 bytes; F = 13
// (two arrays, the byte string, ten tags), C = 10: scan 455 + 4,000 =
// 4,455. nv20: 187,440 + 10·1,000; nv21: 187,740 + 4,455 + max(10,000,
// 2,400 + 3,000) = 10,000.
func TestReachScenario30PriceListSwitch(t *testing.T) {
	for _, nv := range []network.Version{network.Version20, network.Version21} {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			w := newReachWorld(t, nv)
			var links [][]byte
			for i := 0; i < 10; i++ {
				links = append(links, cbLink(blake(t, 0x55, []byte{byte(i)})))
			}
			pad := append([]byte{0x59, 0x02, 0x35}, bytes.Repeat([]byte{7}, 565)...)
			data := cbArray(pad, cbArray(links...))
			if len(data) != 1000 {
				t.Fatalf("block is %d bytes", len(data))
			}
			actor := w.f.addActor("s30", 0, func(k *invocationKernel, _ uint32) Outcome {
				root, _ := k.Root()
				var err error
				got := w.log.during(func() { _, _, err = k.BlockOpen(root) })
				wantErr(t, "open", err, 0)
				if nv == network.Version20 {
					wantCharges(t, "nv20", got, g("OnBlockOpenBase", 187_440), g("OnBlockOpenPerByte", 10_000))
				} else {
					wantCharges(t, "nv21", got, g("OnBlockOpenBase", 187_740), g("OnScanIpldLinks", 4_455), g("OnBlockOpen", 10_000))
				}
				return Outcome{Kind: Returned}
			})
			w.setHead(actor, w.put(0x71, data))
			mustOK(t, w.apply(actor, nil))
		})
	}
}

// The reachability option is for nv ≤ 20 only: from nv21 every option gives
// the same consensus behaviour (the state root is not reachable before
// self.root, audit records nothing), Machine.Reachability says so, and a
// mode that is not an option is refused at construction.
func TestReachOptionIgnoredFromNv21(t *testing.T) {
	for _, mode := range []ReachabilityMode{ReachabilityCompat, ReachabilityStrict, ReachabilityAudit} {
		t.Run(mode.String(), func(t *testing.T) {
			w := newReachWorld(t, network.Version21)
			var openErr error
			actor := w.f.addActor("opt", 0, func(k *invocationKernel, _ uint32) Outcome {
				_, _, openErr = k.BlockOpen(w.actorState(k.receiver).Head)
				return Outcome{Kind: Returned}
			})
			ret := w.apply(actor, nil, WithReachability(mode))
			mustOK(t, ret)
			wantErr(t, "open before root", openErr, errno.NotFound)
			if len(ret.ReachabilityViolations) != 0 {
				t.Errorf("%d violations recorded", len(ret.ReachabilityViolations))
			}
			if got := w.m.Reachability(); got != ReachabilityConsensus {
				t.Errorf("Machine.Reachability() = %s, want consensus", got)
			}
		})
	}
	f := newFixture(t, network.Version20)
	if got := f.machine(WithReachability(ReachabilityStrict)).Reachability(); got != ReachabilityStrict {
		t.Errorf("nv20: Machine.Reachability() = %s, want strict", got)
	}
	for _, mode := range []ReachabilityMode{ReachabilityConsensus, ReachabilityMode(9)} {
		for _, nv := range []network.Version{network.Version20, network.Version21} {
			_, err := newMachine(context.Background(), f.bs, f.stateRoot(), rules.MustFor(nv), WithReachability(mode))
			if err == nil || !strings.Contains(err.Error(), "not an option") {
				t.Errorf("nv%d, mode %s: err %v, want the option refused", nv, mode, err)
			}
		}
	}
}
