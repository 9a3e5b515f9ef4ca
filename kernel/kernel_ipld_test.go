package kernel

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

// The ipld family (fvm-abi.md §3.2, §4): ids from 1, block_read's return
// value, the codec gate per version, block_link's hash rules, and identity
// CIDs opened inline.
func TestIpldOps(t *testing.T) {
	data := []byte{0x83, 0x01, 0x02, 0x03} // DAG-CBOR [1, 2, 3]
	for _, nv := range bothVersions {
		t.Run(fmt.Sprintf("nv%d", nv), func(t *testing.T) {
			f := newFixture(t, nv)
			sender := secpAddr(t, 1)
			f.addAccount(sender, 1_000_000_000_000)
			var errs []string
			check := func(what string, ok bool) {
				if !ok {
					errs = append(errs, what)
				}
			}
			isErr := func(err error, n errno.Number) bool { got, ok := errno.Of(err); return ok && got == n }
			a := f.addActor("ipld", 0, func(k *invocationKernel, _ uint32) Outcome {
				id, err := k.BlockCreate(0x71, data)
				check("create id 1", err == nil && id == 1)
				buf := make([]byte, 6)
				n, err := k.BlockRead(id, 0, buf)
				check("read past the end returns −2", err == nil && n == -2 && bytes.Equal(buf[:4], data))
				n, err = k.BlockRead(id, 10, buf[:3])
				check("read from beyond the end returns 4 − 13", err == nil && n == -9)
				n, err = k.BlockRead(id, 1, buf[:2])
				check("partial read returns the remaining 1", err == nil && n == 1 && bytes.Equal(buf[:2], data[1:3]))
				_, err = k.BlockRead(7, 0, buf)
				check("unknown id is InvalidHandle", isErr(err, errno.InvalidHandle))
				st, err := k.BlockStat(id)
				check("stat", err == nil && st.Codec == 0x71 && st.Size == 4)
				_, err = k.BlockLink(id, 0x12, 32)
				check("sha2 link is IllegalCid", isErr(err, errno.IllegalCid))
				_, err = k.BlockLink(id, 0xb220, 20)
				check("short digest is IllegalCid", isErr(err, errno.IllegalCid))
				c, err := k.BlockLink(id, 0xb220, 32)
				want, _ := cid.V1Builder{Codec: 0x71, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
				check("link CID", err == nil && c == want)
				id2, st2, err := k.BlockOpen(c)
				check("open the linked block as id 2", err == nil && id2 == 2 && st2.Size == 4)
				_, err = k.BlockCreate(0x55, []byte("raw"))
				if nv == network.Version17 {
					check("raw codec is IllegalCodec in nv17", isErr(err, errno.IllegalCodec))
				} else {
					check("raw codec is allowed in nv18", err == nil)
				}
				idMh, _ := mh.Sum(data, mh.IDENTITY, -1)
				id3, st3, err := k.BlockOpen(cid.NewCidV1(0x71, idMh))
				check("identity CID opens inline", err == nil && id3 > 2 && st3.Size == 4)
				return Outcome{Kind: Returned}
			})
			m := f.machine()
			msg := baseMsg(sender, idAddr(a))
			msg.Method = 2
			msg.GasLimit = 20_000_000
			ret := apply(t, m, msg)
			if ret.Receipt.ExitCode != 0 {
				t.Fatalf("exit %d (%s)", ret.Receipt.ExitCode, ret.FailureInfo)
			}
			for _, e := range errs {
				t.Error(e)
			}
			if _, err := f.bs.Get(context.Background(), mustSum(t, data)); err != nil {
				t.Errorf("block_link did not write the block: %v", err)
			}
		})
	}
}

func mustSum(t *testing.T, data []byte) cid.Cid {
	c, err := cid.V1Builder{Codec: 0x71, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
