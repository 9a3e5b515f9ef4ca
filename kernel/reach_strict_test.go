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

// fvm-abi-next.md §4.6, as a table: where gofvm's strict option (nv ≤ 20,
// no charges, gofvm's reading of FIP-0071) and the reference's rules at
// nv21+ (consensus) part ways, and where they agree. Each row runs the same
// script as an actor's method at nv20 with WithReachability(strict) and at
// nv21, and compares the step's error and its own charges (whole gas, no
// OnSyscall) with the expected ones for each. The actor's state is S =
// [A, B] (87 bytes) unless the row says otherwise.
func TestReachStrictVersusConsensus(t *testing.T) {
	type outcome struct {
		err     errno.Number
		charges []charge
	}
	sha, _ := cid.V1Builder{Codec: 0x71, MhType: mh.SHA2_256}.Sum([]byte("x"))
	commMh, _ := mh.Encode(bytes.Repeat([]byte{1}, 32), 0x1012)
	commD := cid.NewCidV1(0xf101, commMh)
	a := blake(t, 0x55, []byte("a"))
	b := blake(t, 0x71, []byte{0x81, 0x01})
	s := cbLinks(a, b)
	openS := func(k *invocationKernel) uint32 {
		root, _ := k.Root()
		id, _, err := k.BlockOpen(root)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	tests := []struct {
		name            string
		item            int // the §4.6 item the row illustrates (0: beyond the list)
		step            func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge)
		strict, consens outcome
	}{
		{
			name: "opening the state root before self.root", item: 6,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				return measure(w, func() error { _, _, err := k.BlockOpen(w.actorState(k.receiver).Head); return err })
			},
			// strict: the root is reachable from the start; 187,440 + 870.
			strict: outcome{0, []charge{g("OnBlockOpenBase", 187_440), g("OnBlockOpenPerByte", 870)}},
			// consensus: only self.root makes it reachable; the base charge
			// is paid first.
			consens: outcome{errno.NotFound, []charge{g("OnBlockOpenBase", 187_740)}},
		},
		{
			name: "opening an unreachable CID", item: 4,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				return measure(w, func() error { _, _, err := k.BlockOpen(blake(t, 0x71, []byte{0x81, 0x07})); return err })
			},
			strict:  outcome{errno.NotFound, nil},
			consens: outcome{errno.NotFound, []charge{g("OnBlockOpenBase", 187_740)}},
		},
		{
			name: "opening S after self.root: scan and link charges", item: 1,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				return measure(w, func() error {
					root, _ := k.Root()
					_, _, err := k.BlockOpen(root)
					return err
				})
			},
			strict: outcome{0, []charge{g("OnBlockOpenBase", 187_440), g("OnBlockOpenPerByte", 870)}},
			// self.root 300; scan 3·35 + 2·400 = 905; max(870, 208.8 + 600).
			consens: outcome{0, []charge{g("OnActorGetRoot", 300), g("OnBlockOpenBase", 187_740),
				g("OnScanIpldLinks", 905), g("OnBlockOpen", 870)}},
		},
		{
			name: "block_create with a codec outside the set", item: 2,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				return measure(w, func() error { _, err := k.BlockCreate(0x70, []byte{0x80}); return err })
			},
			// strict: the create charge (10·1) first, then the scan's codec
			// check; consensus: IllegalCodec before any charge.
			strict:  outcome{errno.IllegalCodec, []charge{g("OnBlockCreate", 10)}},
			consens: outcome{errno.IllegalCodec, nil},
		},
		{
			name: "block_create of malformed DAG-CBOR", item: 2,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				return measure(w, func() error { _, err := k.BlockCreate(0x71, []byte{0x82, 0x01}); return err })
			},
			strict: outcome{errno.Serialization, []charge{g("OnBlockCreate", 20)}},
			// three field charges, the third before the failing read.
			consens: outcome{errno.Serialization, []charge{g("OnScanIpldLinks", 105)}},
		},
		{
			name: "block_create linking a sha2-256 CID", item: 2,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				return measure(w, func() error { _, err := k.BlockCreate(0x71, cbLinks(sha)); return err })
			},
			// 1 + 2 + 2 + 1 + 36 = 42 bytes: strict 420; consensus scan 2·35
			// + 400 = 470, then NotFound from the scan (no OnBlockCreate).
			strict:  outcome{errno.NotFound, []charge{g("OnBlockCreate", 420)}},
			consens: outcome{errno.NotFound, []charge{g("OnScanIpldLinks", 470)}},
		},
		{
			name: "block_create linking a reachable CID: link fee per occurrence", item: 7,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				openS(k)
				return measure(w, func() error { _, err := k.BlockCreate(0x71, cbLinks(a, a)); return err })
			},
			// 87 bytes: strict 870; consensus scan 3·35 + 2·400 = 905 and
			// max(870, 208.8 + 600) = 870.
			strict:  outcome{0, []charge{g("OnBlockCreate", 870)}},
			consens: outcome{0, []charge{g("OnScanIpldLinks", 905), g("OnBlockCreate", 870)}},
		},
		{
			name: "a created block's own CID is not reachable", item: 3,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				data := []byte{0x81, 0x09}
				return measure(w, func() error {
					if _, err := k.BlockCreate(0x71, data); err != nil {
						t.Fatal(err)
					}
					return k.SetRoot(blake(t, 0x71, data))
				})
			},
			strict:  outcome{errno.NotFound, []charge{g("OnBlockCreate", 20)}},
			consens: outcome{errno.NotFound, []charge{g("OnScanIpldLinks", 70), g("OnBlockCreate", 20), g("OnActorSetRoot", 300)}},
		},
		{
			name: "a CID from get_actor_code_cid linked in a new block", item: 0,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				code, _ := k.GetActorCodeCid(k.receiver)
				return measure(w, func() error { _, err := k.BlockCreate(0x71, cbLinks(code)); return err })
			},
			// strict lets the actor link a code CID the kernel handed out;
			// consensus never makes code CIDs reachable (§4.1).
			strict:  outcome{0, []charge{g("OnBlockCreate", 440)}},
			consens: outcome{errno.NotFound, []charge{g("OnScanIpldLinks", 470), g("OnBlockCreate", 440)}},
		},
		{
			name: "a commitment CID: ignored when linked, never openable", item: 9,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				return measure(w, func() error {
					if _, err := k.BlockCreate(0x71, cbLinks(commD)); err != nil {
						t.Fatalf("linking CommD: %v", err)
					}
					_, _, err := k.BlockOpen(commD)
					return err
				})
			},
			// 45-byte block: strict 450; consensus 470 + max(450, 108) and
			// the base charge of the failed open.
			strict:  outcome{errno.NotFound, []charge{g("OnBlockCreate", 450)}},
			consens: outcome{errno.NotFound, []charge{g("OnScanIpldLinks", 470), g("OnBlockCreate", 450), g("OnBlockOpenBase", 187_740)}},
		},
		{
			name: "an identity CID is never reachable itself", item: 6,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				return measure(w, func() error { _, _, err := k.BlockOpen(identityCid(t, 0x71, []byte{0x80})); return err })
			},
			strict:  outcome{errno.NotFound, nil},
			consens: outcome{errno.NotFound, []charge{g("OnBlockOpenBase", 187_740)}},
		},
		{
			name: "set_root of a CID never made reachable", item: 0,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				return measure(w, func() error { return k.SetRoot(blake(t, 0x71, []byte{0x81, 0x0a})) })
			},
			strict:  outcome{errno.NotFound, nil},
			consens: outcome{errno.NotFound, []charge{g("OnActorSetRoot", 300)}},
		},
		{
			name: "params and return blocks carry links: fees per link below the top level", item: 8,
			step: func(t *testing.T, w *reachWorld, k *invocationKernel) (error, []charge) {
				sid := openS(k)
				err, got := measure(w, func() error {
					res, err := k.Send(context.Background(), idAddr(w.echo), 2, sid, big.Zero(), nil, 0)
					if err == nil && res.ExitCode != 0 {
						t.Errorf("echo exit %d", res.ExitCode)
					}
					return err
				})
				return err, keepCharges(got, "OnMethodInvocation", "OnReturnValue")
			},
			// The echo actor opens A (from the params) and returns the
			// params. Only the invocation and return charges are compared.
			strict:  outcome{0, []charge{g("OnMethodInvocation", 75_000)}},
			consens: outcome{0, []charge{g("OnMethodInvocation", 75_600), g("OnReturnValue", 600)}},
		},
	}
	for _, tc := range tests {
		name := tc.name
		if tc.item != 0 {
			name = fmt.Sprintf("item %d: %s", tc.item, tc.name)
		}
		t.Run(name, func(t *testing.T) {
			for _, nv := range []network.Version{network.Version20, network.Version21} {
				want := tc.consens
				var opts []Option
				if nv == network.Version20 {
					want = tc.strict
					opts = append(opts, WithReachability(ReachabilityStrict))
				}
				w := newReachWorld(t, nv)
				w.echo = w.f.addActor("echo", 0, func(k *invocationKernel, params uint32) Outcome {
					if _, _, err := k.BlockOpen(a); err != nil {
						t.Errorf("nv%d: echo cannot open A: %v", nv, err)
					}
					return Outcome{Kind: Returned, BlockID: params}
				})
				var err error
				var got []charge
				actor := w.f.addActor("row", 0, func(k *invocationKernel, _ uint32) Outcome {
					err, got = tc.step(t, w, k)
					return Outcome{Kind: Returned}
				})
				w.setHead(actor, w.put(0x71, s))
				w.put(0x55, []byte("a"))
				mustOK(t, w.apply(actor, nil, opts...))
				if n, _ := errno.Of(err); n != want.err || (err != nil) != (want.err != 0) {
					t.Errorf("nv%d: error %v, want %v", nv, err, want.err)
				}
				wantCharges(t, fmt.Sprintf("nv%d", nv), got, want.charges...)
			}
		})
	}
}

// measure runs fn and returns its error and the charges it made.
func measure(w *reachWorld, fn func() error) (err error, got []charge) {
	got = w.log.during(func() { err = fn() })
	return err, got
}

// keepCharges keeps the charges with the given names, in order.
func keepCharges(cs []charge, names ...string) []charge {
	var out []charge
	for _, c := range cs {
		for _, n := range names {
			if c.name == n {
				out = append(out, c)
			}
		}
	}
	return out
}
