package kernel

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/blocks"
	"github.com/gofvm/gofvm/rules"
)

// Flush from nv21 (fvm-abi-next.md §4.7): the 3.6.0 traversal, the same as
// nv18–20. An actor writes, under FIP-0071's rules, a state that reaches a
// raw block, a CBOR (0x51) block, a DAG-CBOR child, a DAG-CBOR identity CID
// inlining a link, a CBOR identity CID and a commitment, and also links a
// block its state does not reach. The machine runs over a buffered
// blockstore in the version's flush mode: the flush writes every block the
// new state root reaches and nothing else, and keeps the unreached block in
// the write buffer (3.6.0 takes out only what it writes).
func TestReachFlushAfterConsensusWrites(t *testing.T) {
	for _, nv := range []network.Version{network.Version21, network.Version28} {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			r := rules.MustFor(nv)
			if r.Flush != blocks.V3 {
				t.Fatalf("nv%d flushes in mode %d, want the 3.6.0 traversal", nv, r.Flush)
			}
			f := newFixture(t, nv)
			f.addAccount(secpAddr(t, 1), 1_000_000_000_000_000)
			raw, cborData, child := []byte("raw"), []byte{0x82, 0x01, 0x02}, []byte{0x81, 0x05}
			rawC, cborC, childC := blake(t, 0x55, raw), blake(t, 0x51, cborData), blake(t, 0x71, child)
			commMh, _ := mh.Encode(bytes.Repeat([]byte{2}, 32), 0x1012)
			commR := cid.NewCidV1(0xf102, commMh)
			inlineDag := identityCid(t, 0x71, cbLinks(rawC))
			inlineCBOR := identityCid(t, 0x51, []byte{0x01})
			unreached := []byte("not in the state")
			unreachedC := blake(t, 0x55, unreached)
			state := cbArray(cbLink(childC), cbLink(cborC), cbLink(inlineDag), cbLink(inlineCBOR), cbLink(commR))
			stateC := blake(t, 0x71, state)
			actor := f.addActor("writer", 0, func(k *invocationKernel, _ uint32) Outcome {
				for _, b := range []struct {
					codec uint64
					data  []byte
				}{{0x55, raw}, {0x51, cborData}, {0x71, child}, {0x55, unreached}, {0x71, state}} {
					id, err := k.BlockCreate(b.codec, b.data)
					if err != nil {
						t.Fatalf("create %x: %v", b.data, err)
					}
					if _, err := k.BlockLink(id, 0xb220, 32); err != nil {
						t.Fatal(err)
					}
				}
				if err := k.SetRoot(stateC); err != nil {
					t.Fatal(err)
				}
				return Outcome{Kind: Returned}
			})
			// The client's store holds the fixture's blocks; the machine
			// writes into a buffer over it.
			ctx := context.Background()
			root := f.stateRoot()
			ds := dssync.MutexWrap(datastore.NewMapDatastore())
			for _, b := range f.bs.m {
				if err := ds.Put(ctx, blocks.DsKey(b.Cid()), b.RawData()); err != nil {
					t.Fatal(err)
				}
			}
			buf := blocks.NewBuffered(ds, r.Flush)
			m, err := newMachine(ctx, buf, root, r, WithEngine(f.engine), WithEpoch(1000))
			if err != nil {
				t.Fatal(err)
			}
			msg := baseMsg(secpAddr(t, 1), idAddr(actor))
			msg.Method, msg.GasLimit = 2, 100_000_000
			mustOK(t, apply(t, m, msg))
			newRoot, err := m.Flush(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if newRoot == root {
				t.Fatal("the state root did not change")
			}
			for name, c := range map[string]cid.Cid{"state": stateC, "raw": rawC, "cbor": cborC, "child": childC, "new root": newRoot} {
				if ok, _ := ds.Has(ctx, blocks.DsKey(c)); !ok {
					t.Errorf("%s %s was not written", name, c)
				}
			}
			if ok, _ := ds.Has(ctx, blocks.DsKey(unreachedC)); ok {
				t.Error("a block the state does not reach was written")
			}
			if _, err := buf.GetRaw(ctx, unreachedC); err != nil {
				t.Errorf("the unreached block left the write buffer: %v", err)
			}
		})
	}
}
