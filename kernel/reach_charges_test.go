package kernel

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

// fvm-gas-next.md §10 examples 9–20 (FIP-0071's charges) in the kernel,
// driven by Go actors, at nv20 (HYGGE, nothing tracked) and at nv21, nv25
// and nv28 (WATERMELON and TEEP, identical here). Expected totals are the
// sheet's; the charges are listed as the sheet splits them (§2.4, §3.3).
// The wasm versions, on both engines, are in the integration tests.

var chargeVersions = []network.Version{network.Version20, network.Version21, network.Version25, network.Version28}

// exampleBlocks are the blocks of the examples: cidA and cidB are DAG-CBOR
// blake2b-256 CIDs (43 bytes as links).
type exampleBlocks struct {
	cidA, cidB, cidC cid.Cid
	ex9              []byte // [1, cidA, cidB], 88 bytes
	ex11             []byte // {"a":1, "b":500, "c":-10, "piece": piece CID}, 62 bytes
	ex12             []byte // [identity(DAG-CBOR [7, cidA]), tag(1) 1700000000], 61 bytes
	ex14             []byte // [cidA, cidB, cidC], 130 bytes
}

func newExampleBlocks(t *testing.T) exampleBlocks {
	var e exampleBlocks
	e.cidA = blake(t, 0x71, []byte("A"))
	e.cidB = blake(t, 0x71, []byte("B"))
	e.cidC = blake(t, 0x71, []byte("C"))
	e.ex9 = cbArray([]byte{0x01}, cbLink(e.cidA), cbLink(e.cidB))
	pieceMh, err := mh.Encode(bytes.Repeat([]byte{1}, 32), 0x1012)
	if err != nil {
		t.Fatal(err)
	}
	piece := cid.NewCidV1(0xf101, pieceMh)
	e.ex11 = append([]byte{0xa4, 0x61, 'a', 0x01, 0x61, 'b', 0x19, 0x01, 0xf4, 0x61, 'c', 0x29,
		0x65, 'p', 'i', 'e', 'c', 'e'}, cbLink(piece)...)
	inner := cbArray([]byte{0x07}, cbLink(e.cidA))
	e.ex12 = cbArray(cbLink(identityCid(t, 0x71, inner)), []byte{0xc1, 0x1a, 0x65, 0x53, 0xf1, 0x00})
	e.ex14 = cbLinks(e.cidA, e.cidB, e.cidC)
	for name, b := range map[string]struct {
		data []byte
		n    int
	}{"ex9": {e.ex9, 88}, "ex11": {e.ex11, 62}, "ex12": {e.ex12, 61}, "ex14": {e.ex14, 130}} {
		if len(b.data) != b.n {
			t.Fatalf("%s is %d bytes, the sheet says %d", name, len(b.data), b.n)
		}
	}
	return e
}

// openAsRoot runs an actor whose state root is data: it calls self.root
// (outside the measured charges) and measures block_open of the root.
func openAsRoot(t *testing.T, nv network.Version, codec uint64, data []byte, after func(k *invocationKernel)) []charge {
	w := newReachWorld(t, nv)
	var got []charge
	actor := w.f.addActor("open", 0, func(k *invocationKernel, _ uint32) Outcome {
		root, _ := k.Root()
		var err error
		got = w.log.during(func() { _, _, err = k.BlockOpen(root) })
		wantErr(t, "block_open", err, 0)
		if after != nil {
			after(k)
		}
		return Outcome{Kind: Returned}
	})
	w.setHead(actor, w.put(codec, data))
	mustOK(t, w.apply(actor, nil))
	return got
}

func TestReachExamples9to12Open(t *testing.T) {
	e := newExampleBlocks(t)
	raw1000 := bytes.Repeat([]byte{0xee}, 1000)
	for _, nv := range chargeVersions {
		v4 := nv >= network.Version21
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			// Example 9: base 187,740; scan F = 4, C = 2: 140 + 800 = 940;
			// OnBlockOpen max(880, 211.2 + 600) = 880 → 189,560. nv20:
			// 187,440 + 880 = 188,320. cidA and cidB are reachable after.
			got := openAsRoot(t, nv, 0x71, e.ex9, func(k *invocationKernel) {
				if v4 && (!k.reach.Reachable(e.cidA) || !k.reach.Reachable(e.cidB)) {
					t.Error("ex 9: links not reachable after the open")
				}
			})
			if v4 {
				wantCharges(t, "ex 9", got, g("OnBlockOpenBase", 187_740), g("OnScanIpldLinks", 940), g("OnBlockOpen", 880))
			} else {
				wantCharges(t, "ex 9", got, g("OnBlockOpenBase", 187_440), g("OnBlockOpenPerByte", 880))
			}
			wantTotal(t, "ex 9", got, v4, 189_560_000, 188_320_000)

			// Example 10: a 1,000-byte raw block: no scan, 10,000.
			got = openAsRoot(t, nv, 0x55, raw1000, nil)
			wantTotal(t, "ex 10", got, v4, 197_740_000, 197_440_000)

			// Example 11: F = 1 + 8, C = 1: 315 + 400 = 715; open 620 →
			// 189,075 (nv20 188,060); the piece CID is not a link.
			got = openAsRoot(t, nv, 0x71, e.ex11, func(k *invocationKernel) {
				if v4 && k.reach.Len() != 1 { // only the root itself
					t.Errorf("ex 11: %d CIDs reachable, want the root only", k.reach.Len())
				}
			})
			wantTotal(t, "ex 11", got, v4, 189_075_000, 188_060_000)

			// Example 12: F = 7, C = 2: 245 + 800 = 1,045; open 610 →
			// 189,395. Only cidA becomes reachable (not the identity CID).
			if v4 {
				got = openAsRoot(t, nv, 0x71, e.ex12, func(k *invocationKernel) {
					if !k.reach.Reachable(e.cidA) || k.reach.Len() != 2 {
						t.Errorf("ex 12: %d reachable, cidA %v", k.reach.Len(), k.reach.Reachable(e.cidA))
					}
				})
				wantCharges(t, "ex 12", got, g("OnBlockOpenBase", 187_740), g("OnScanIpldLinks", 1_045), g("OnBlockOpen", 610))
			}
		})
	}
}

// wantTotal checks the sum of the charges against the sheet's total at
// nv21+ (v4) or nv20.
func wantTotal(t *testing.T, what string, got []charge, v4 bool, v4Milli, v3Milli int64) {
	t.Helper()
	want := v3Milli
	if v4 {
		want = v4Milli
	}
	if total(got) != want {
		t.Errorf("%s: %v = %s gas, want %s", what, got, milliString(total(got)), milliString(want))
	}
}

// Examples 13–16: unreachable opens, creates with and without reachable
// links, bad codecs, and a scan that fails part-way.
func TestReachExamples13to16Create(t *testing.T) {
	e := newExampleBlocks(t)
	for _, nv := range chargeVersions {
		v4 := nv >= network.Version21
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			w := newReachWorld(t, nv)
			actor := w.f.addActor("create", 0, func(k *invocationKernel, _ uint32) Outcome {
				root, _ := k.Root()
				var err error
				if v4 {
					// Example 13: an unreachable CID: 187,740 then NotFound.
					got := w.log.during(func() { _, _, err = k.BlockOpen(e.cidC) })
					wantErr(t, "ex 13", err, errno.NotFound)
					wantCharges(t, "ex 13", got, g("OnBlockOpenBase", 187_740))
				}
				// The root [cidA, cidB, cidC] makes the three reachable.
				if _, _, err := k.BlockOpen(root); err != nil {
					t.Fatal(err)
				}
				// Example 14: scan 4·35 + 3·400 = 1,340; create max(1,300,
				// 312 + 900) = 1,300 → 2,640 (nv20 1,300). With the third
				// link unknown: the same 2,640, then NotFound.
				got := w.log.during(func() { _, err = k.BlockCreate(0x71, e.ex14) })
				wantErr(t, "ex 14", err, 0)
				if v4 {
					wantCharges(t, "ex 14", got, g("OnScanIpldLinks", 1_340), g("OnBlockCreate", 1_300))
				}
				wantTotal(t, "ex 14", got, v4, 2_640_000, 1_300_000)
				unknown := cbLinks(e.cidA, e.cidB, blake(t, 0x71, []byte("D")))
				got = w.log.during(func() { _, err = k.BlockCreate(0x71, unknown) })
				if v4 {
					wantErr(t, "ex 14 unknown link", err, errno.NotFound)
					wantCharges(t, "ex 14 unknown link", got, g("OnScanIpldLinks", 1_340), g("OnBlockCreate", 1_300))
				}
				// Example 15: dag-pb, 100 bytes: IllegalCodec with no charge
				// at nv21+; nv20 charges 1,000 first.
				got = w.log.during(func() { _, err = k.BlockCreate(0x70, make([]byte, 100)) })
				wantErr(t, "ex 15", err, errno.IllegalCodec)
				wantTotal(t, "ex 15", got, v4, 0, 1_000_000)
				// Example 16: 82 01: fields 1 and 2 read, field 3 charged
				// then the header read fails: 105, Serialization, no
				// OnBlockCreate.
				if v4 {
					got = w.log.during(func() { _, err = k.BlockCreate(0x71, []byte{0x82, 0x01}) })
					wantErr(t, "ex 16", err, errno.Serialization)
					wantCharges(t, "ex 16", got, g("OnScanIpldLinks", 105))
				}
				return Outcome{Kind: Returned}
			})
			w.setHead(actor, w.put(0x71, e.ex14))
			mustOK(t, w.apply(actor, nil))
		})
	}
}

// Examples 17–19: block_link, a new state written and set as root, and
// self.root.
func TestReachExamples17to19Link(t *testing.T) {
	e := newExampleBlocks(t)
	for _, nv := range chargeVersions {
		v4 := nv >= network.Version21
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			w := newReachWorld(t, nv)
			actor := w.f.addActor("link", 0, func(k *invocationKernel, _ uint32) Outcome {
				// Example 19: self.root 300 each call (nv20 nothing).
				var root cid.Cid
				got := w.log.during(func() { root, _ = k.Root() })
				if v4 {
					wantCharges(t, "ex 19", got, g("OnActorGetRoot", 300))
				} else {
					wantCharges(t, "ex 19", got)
				}
				if _, _, err := k.BlockOpen(root); err != nil { // cidA, cidB, cidC reachable
					t.Fatal(err)
				}
				// Example 17: block_link of 88 and 130 bytes: 506,300 +
				// 3,352.4n at nv21+ = 801,311.2 and 942,112; nv20 300 less.
				for _, tc := range []struct {
					n      int
					v4, v3 int64
				}{{88, 801_311_200, 801_011_200}, {130, 942_112_000, 941_812_000}} {
					id, _ := k.BlockCreate(0x55, bytes.Repeat([]byte{byte(tc.n)}, tc.n))
					got := w.log.during(func() {
						if _, err := k.BlockLink(id, 0xb220, 32); err != nil {
							t.Error(err)
						}
					})
					wantTotal(t, fmt.Sprintf("ex 17 (%d bytes)", tc.n), got, v4, tc.v4, tc.v3)
				}
				// Example 18: create the 88-byte [1, cidA, cidB] (scan 940 +
				// create 880 = 1,820), link it (801,311.2), set it as the
				// root as the actor's first write (300 + OnActorUpdate
				// 475,000): 1,278,431.2; nv20 880 + 801,011.2 + 475,000 =
				// 1,276,891.2. A second set_root: 300 (nv20 nothing).
				got = w.log.during(func() {
					id, err := k.BlockCreate(0x71, e.ex9)
					if err != nil {
						t.Fatal(err)
					}
					c, err := k.BlockLink(id, 0xb220, 32)
					if err != nil {
						t.Fatal(err)
					}
					if err := k.SetRoot(c); err != nil {
						t.Fatal(err)
					}
				})
				wantTotal(t, "ex 18", got, v4, 1_278_431_200, 1_276_891_200)
				got = w.log.during(func() {
					if err := k.SetRoot(blake(t, 0x71, e.ex9)); err != nil {
						t.Fatal(err)
					}
				})
				wantTotal(t, "ex 18, second set_root", got, v4, 300_000, 0)
				return Outcome{Kind: Returned}
			})
			w.setHead(actor, w.put(0x71, e.ex14))
			mustOK(t, w.apply(actor, nil))
		})
	}
}

// Example 20: an internal send (method 2, no value) whose params carry 2
// links: OnMethodInvocation 75,600 (nv20 75,000); the callee returns a block
// with 3 links at depth 2: OnReturnValue 900 (nv20 nothing); the top-level
// return of 40 bytes: OnChainReturnValue 52,000 (unchanged).
func TestReachExample20SendAndReturn(t *testing.T) {
	for _, nv := range chargeVersions {
		v4 := nv >= network.Version21
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			w := newReachWorld(t, nv)
			a, b := blake(t, 0x55, []byte("a")), blake(t, 0x71, []byte{0x81, 0x01})
			callee := w.f.addActor("callee", 0, func(k *invocationKernel, params uint32) Outcome {
				id, err := k.BlockCreate(0x71, cbLinks(a, b, a)) // 3 link occurrences
				if err != nil {
					t.Fatal(err)
				}
				return Outcome{Kind: Returned, BlockID: id}
			})
			parent := w.stateParent("parent", func(k *invocationKernel, sid uint32) {
				got := w.log.during(func() {
					res, err := k.Send(context.Background(), idAddr(callee), 2, sid, big.Zero(), nil, 0)
					if err != nil || res.ExitCode != 0 {
						t.Errorf("send %+v, %v", res, err)
					}
				})
				inv, _ := chargeNamed(got, "OnMethodInvocation")
				ret, hasRet := chargeNamed(got, "OnReturnValue")
				if v4 {
					if inv != g("OnMethodInvocation", 75_600) || ret != g("OnReturnValue", 900) {
						t.Errorf("charges %v, want OnMethodInvocation 75,600 and OnReturnValue 900", got)
					}
				} else if inv != g("OnMethodInvocation", 75_000) || hasRet {
					t.Errorf("charges %v, want OnMethodInvocation 75,000 and no OnReturnValue", got)
				}
			})
			mustOK(t, w.apply(parent, nil))

			top := w.f.addActor("top", 0, func(k *invocationKernel, _ uint32) Outcome {
				id, _ := k.BlockCreate(0x55, make([]byte, 40))
				return Outcome{Kind: Returned, BlockID: id}
			})
			var ret *ApplyRet
			got := w.log.during(func() { ret = w.apply(top, nil) })
			mustOK(t, ret)
			if c, _ := chargeNamed(got, "OnChainReturnValue"); c != g("OnChainReturnValue", 52_000) {
				t.Errorf("top-level return: %v, want OnChainReturnValue 52,000", got)
			}
		})
	}
}
