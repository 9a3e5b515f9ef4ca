package actors

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// accountState is the account actor's state, the 1-tuple [address].
type accountState struct{ Address address.Address }

func (s *accountState) UnmarshalCBOR(r io.Reader) error {
	cr := cbg.NewCborReader(r)
	maj, n, err := cr.ReadHeader()
	if err != nil {
		return err
	}
	if maj != cbg.MajArray || n != 1 {
		return fmt.Errorf("account state must be a 1-array")
	}
	return s.Address.UnmarshalCBOR(cr)
}

type receiptsFile struct {
	Postconditions struct {
		Receipts []struct {
			ExitCode int    `json:"exit_code"`
			Return   []byte `json:"return"`
		} `json:"receipts"`
	} `json:"postconditions"`
}

// The f2 addresses the chain actually assigned (conformance.md §1): Init
// Exec and Power CreateMiner return [IDAddress, RobustAddress]. The robust
// address must be v2's new_actor_address over the sender's key address
// (nv17) or v3's next_actor_address over msg.from as written (nv18), with
// nonce = the message nonce and counter 0 (one creation per message); the ID
// must be the pre-state init actor's next_id (fvm-abi.md §6.7, §8.5).
func TestConformanceF2Addresses(t *testing.T) {
	root := needConformance(t, "vectors")
	var files []string
	for _, pat := range []string{"*/fil_9_init/Exec/Ok/*.json", "*/fil_*_storagepower/CreateMiner/Ok/*.json"} {
		m, _ := filepath.Glob(filepath.Join(root, pat))
		files = append(files, m...)
	}
	ctx := context.Background()
	checked := map[network.Version]int{}
	for _, p := range files {
		rel, _ := filepath.Rel(conformanceDir, p)
		v, bs := loadVector(t, rel)
		raw, _ := os.ReadFile(p)
		var rf receiptsFile
		if err := json.Unmarshal(raw, &rf); err != nil {
			t.Fatal(err)
		}
		rc := rf.Postconditions.Receipts[0]
		if rc.ExitCode != 0 || len(v.ApplyMessages) != 1 {
			continue
		}
		cr := cbg.NewCborReader(bytes.NewReader(rc.Return))
		if maj, n, err := cr.ReadHeader(); err != nil || maj != cbg.MajArray || n != 2 {
			t.Fatalf("%s: return %x", rel, rc.Return)
		}
		var idAddr, robust address.Address
		if err := idAddr.UnmarshalCBOR(cr); err != nil {
			t.Fatal(err)
		}
		if err := robust.UnmarshalCBOR(cr); err != nil {
			t.Fatal(err)
		}
		_, from, nonce := messageFromNonce(t, v.ApplyMessages[0].Bytes)
		nv := v.Preconditions.Variants[0].NV
		rootCid, _ := cid.Decode(v.Preconditions.StateTree.RootCid["/"])
		store := cbor.NewCborStore(bs)
		st, err := LoadStateTree(ctx, store, rootCid, nv)
		if err != nil {
			t.Fatal(err)
		}
		var got address.Address
		if nv == network.Version17 {
			key := from
			if from.Protocol() != address.SECP256K1 && from.Protocol() != address.BLS {
				id, ok, err := st.LookupID(from)
				if err != nil || !ok {
					t.Fatalf("%s: resolve %s", rel, from)
				}
				a, err := st.GetActor(id)
				if err != nil || a == nil {
					t.Fatalf("%s: actor %d", rel, id)
				}
				var s accountState
				blk, err := bs.Get(ctx, a.Head)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.UnmarshalCBOR(bytes.NewReader(blk.RawData())); err != nil {
					t.Fatal(err)
				}
				key = s.Address
			}
			got, err = NewActorAddressV2(key, nonce, 0)
		} else {
			got, err = NextActorAddressV3(from, nonce, 0)
		}
		if err != nil || got != robust {
			t.Errorf("%s (nv%d, from %s, nonce %d): f2 %s, chain assigned %s", rel, nv, from, nonce, got, robust)
		}
		in, err := st.loadInit()
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := address.IDFromAddress(idAddr); uint64(in.state.NextID) != want {
			t.Errorf("%s: init next_id %d, assigned %s", rel, in.state.NextID, idAddr)
		}
		checked[nv]++
	}
	t.Logf("creations checked: nv17 %d, nv18 %d", checked[network.Version17], checked[network.Version18])
	if checked[network.Version17] == 0 || checked[network.Version18] == 0 {
		t.Fatal("no creation vectors found")
	}
}
