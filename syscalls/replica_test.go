package syscalls

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

func must2[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestReplicaUpdateInfoWireForm(t *testing.T) {
	mh := must2(multihash.Sum([]byte("x"), multihash.SHA2_256, -1))
	c := cid.NewCidV1(cid.Raw, mh)
	link := func() string { // tag 42, bytes(0x00 ‖ cid)
		b := append([]byte{0}, c.Bytes()...)
		return "d82a" + "58" + hex.EncodeToString([]byte{byte(len(b))}) + hex.EncodeToString(b)
	}
	// [3, cid, cid, cid, [7, 200]]: the reference's serde form.
	good := must2(hex.DecodeString("8503" + link() + link() + link() + "820718c8"))
	var r replicaUpdateInfo
	if err := decodeCBOR(good, &r); err != nil {
		t.Fatal(err)
	}
	if r.UpdateProofType != 3 || !bytes.Equal(r.Proof, []byte{7, 200}) || r.NewUnsealedSectorCID != c {
		t.Fatalf("%+v", r)
	}
	// The go-state-types byte-string form is not what the reference reads.
	var gst bytes.Buffer
	if err := (&proof.ReplicaUpdateInfo{UpdateProofType: 3, OldSealedSectorCID: c, NewSealedSectorCID: c,
		NewUnsealedSectorCID: c, Proof: []byte{7}}).MarshalCBOR(&gst); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{
		"byte string proof": gst.Bytes(),
		"element > 255":     must2(hex.DecodeString("8503" + link() + link() + link() + "81190100")),
		"negative element":  must2(hex.DecodeString("8503" + link() + link() + link() + "8120")),
		"4 fields":          must2(hex.DecodeString("8403" + link() + link() + link())),
		"huge count":        must2(hex.DecodeString("8503" + link() + link() + link() + "9bffffffffffffffff")),
		"truncated":         good[:len(good)-1],
	} {
		err := decodeCBOR(in, &replicaUpdateInfo{})
		if n, ok := errno.Of(err); !ok || n != errno.IllegalArgument {
			t.Errorf("%s: got %v, want IllegalArgument", name, err)
		}
	}
}
