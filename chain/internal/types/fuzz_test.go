package types

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel"
)

func sampleHeader() *BlockHeader {
	miner, _ := address.NewIDAddress(1000)
	c, _ := cid.Decode("bafy2bzacedswlcz5ddgqnyo3sak3jmhmkxashisnlpq6ujgyhe4mlobzpnhs6")
	return &BlockHeader{Miner: miner, Ticket: &Ticket{VRFProof: []byte{1, 2, 3}},
		ElectionProof: &ElectionProof{WinCount: 2, VRFProof: []byte{4}},
		BeaconEntries: []BeaconEntry{{Round: 7, Data: []byte{5}}}, Parents: []cid.Cid{c},
		ParentWeight: big.NewInt(9), Height: 10, ParentStateRoot: c, ParentMessageReceipts: c, Messages: c,
		BLSAggregate: &crypto.Signature{Type: crypto.SigTypeBLS, Data: []byte{6}}, Timestamp: 11,
		BlockSig: &crypto.Signature{Type: crypto.SigTypeBLS, Data: []byte{7}}, ParentBaseFee: big.NewInt(100)}
}

// TestHeaderRoundTrip: CBOR and JSON give the same header back, and the
// 16-tuple starts with 0x90 (chain.md §3.6).
func TestHeaderRoundTrip(t *testing.T) {
	h := sampleHeader()
	b, err := h.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != 0x90 {
		t.Fatalf("first byte %#x", b[0])
	}
	back, err := DecodeBlockHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := back.Bytes()
	if !bytes.Equal(b, b2) {
		t.Fatal("CBOR round trip differs")
	}
	j, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON BlockHeader
	if err := json.Unmarshal(j, &fromJSON); err != nil {
		t.Fatal(err)
	}
	b3, _ := fromJSON.Bytes()
	if !bytes.Equal(b, b3) {
		t.Fatalf("JSON round trip differs: %s", j)
	}
	if _, err := DecodeBlockHeader(append(b, 0)); err == nil || !IsMalformed(err) {
		t.Errorf("trailing byte: %v", err)
	}
}

// TestSignedLength: a 65-byte secp signature adds 69 bytes to the unsigned
// message (chain.md §1.6: array header 1, byte-string header 2, type 1).
func TestSignedLength(t *testing.T) {
	to, _ := address.NewIDAddress(1)
	from, _ := address.NewIDAddress(2)
	m := kernel.Message{To: to, From: from, Value: big.Zero(), GasLimit: 1, GasFeeCap: big.Zero(), GasPremium: big.Zero()}
	raw, _ := m.Bytes()
	s := &SignedMessage{Message: m, Signature: crypto.Signature{Type: crypto.SigTypeSecp256k1, Data: make([]byte, 65)}}
	var buf bytes.Buffer
	if err := s.MarshalCBOR(&buf); err != nil {
		t.Fatal(err)
	}
	cm, err := SignedChainMessage(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if cm.ChainLength != len(raw)+69 || !cm.Signed {
		t.Errorf("chain length %d, want %d", cm.ChainLength, len(raw)+69)
	}
	bls, _ := BLSChainMessage(raw)
	if bls.ChainLength != len(raw) || bls.Signed {
		t.Errorf("BLS chain length %d", bls.ChainLength)
	}
}

// The decoders read bytes an endpoint sent: they must fail cleanly.
func FuzzDecodeBlockHeader(f *testing.F) {
	b, _ := sampleHeader().Bytes()
	f.Add(b)
	f.Add([]byte{0x90})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := DecodeBlockHeader(data)
		if err != nil {
			return
		}
		if _, err := h.Bytes(); err != nil {
			t.Fatalf("a decoded header does not encode: %v", err)
		}
	})
}

func FuzzDecodeChainObjects(f *testing.F) {
	f.Add([]byte{0x82, 0xd8, 0x2a}, byte(0))
	f.Add([]byte{0x84, 0x00, 0x40, 0x00, 0xf6}, byte(1))
	f.Add([]byte{0x83, 0x00, 0x40, 0x00}, byte(1))
	f.Fuzz(func(t *testing.T, data []byte, kind byte) {
		switch kind % 5 {
		case 0:
			_, _ = DecodeMsgMeta(data)
		case 1:
			_, _ = DecodeReceipt(data)
		case 2:
			_, _ = SignedChainMessage(data)
		case 3:
			_, _ = BLSChainMessage(data)
		default:
			var ts TipSet
			_ = json.Unmarshal(data, &ts)
		}
	})
}
