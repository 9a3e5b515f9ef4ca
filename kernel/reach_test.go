package kernel

import (
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

// Reachability (design.md, beyond the reference): in strict mode an actor
// cannot open or adopt as its root a block it has no path to, even though
// the block is in the store; in compat mode it can, as in ref-fvm.
func TestReachabilityModes(t *testing.T) {
	data := []byte{0x81, 0x01} // DAG-CBOR [1]
	c, err := cid.V1Builder{Codec: cid.DagCBOR, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []ReachabilityMode{ReachabilityCompat, ReachabilityStrict, ReachabilityAudit} {
		t.Run(mode.String(), func(t *testing.T) {
			f := newFixture(t, 17)
			blk, _ := blocks.NewBlockWithCid(data, c)
			_ = f.bs.Put(context.Background(), blk)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000)
			var openErr, rootErr, ownErr error
			a := f.addActor("reader", 0, func(k *invocationKernel, _ uint32) Outcome {
				_, _, openErr = k.BlockOpen(c)
				rootErr = k.SetRoot(c)
				_, _, ownErr = k.BlockOpen(f.empty) // the actor's own state root
				return Outcome{Kind: Returned}
			})
			m := f.machine(WithReachability(mode))
			msg := baseMsg(sender, idAddr(a))
			msg.Method = 2
			msg.GasLimit = 10_000_000
			ret := apply(t, m, msg)
			if ret.Receipt.ExitCode != 0 {
				t.Fatalf("exit %d (%s)", ret.Receipt.ExitCode, ret.FailureInfo)
			}
			if n := len(ret.ReachabilityViolations); (mode == ReachabilityAudit) != (n == 2) {
				t.Errorf("%d violations recorded (audit: open and set_root)", n)
			}
			if ownErr != nil {
				t.Errorf("opening the state root: %v", ownErr)
			}
			wantErr := mode == ReachabilityStrict
			for name, err := range map[string]error{"block_open": openErr, "set_root": rootErr} {
				n, ok := errno.Of(err)
				if wantErr && (!ok || n != errno.NotFound) {
					t.Errorf("%s: err = %v, want NotFound", name, err)
				}
				if !wantErr && err != nil {
					t.Errorf("%s: err = %v, want nil", name, err)
				}
			}
		})
	}
	_ = fmt.Sprint(big.Zero())
}
