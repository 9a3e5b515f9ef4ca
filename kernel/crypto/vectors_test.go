package fvmcrypto

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/builtin"
	market9 "github.com/filecoin-project/go-state-types/builtin/v9/market"
	gscrypto "github.com/filecoin-project/go-state-types/crypto"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// The real deal signatures of the conformance corpus (conformance.md §1.5:
// 30 PublishStorageDeals vectors, 144 secp256k1 signatures and one BLS one in
// ext-0001-fil_9_storagemarket-PublishStorageDeals-Ok-2). The data is read in
// place from the local corpus and the test is skipped when it is absent.
func TestRealDealSignatures(t *testing.T) {
	root := filepath.Join("..", "..", ".conformance", "vectors")
	var files []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(d.Name(), "storagemarket-PublishStorageDeals-") && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skip("no PublishStorageDeals vectors under .conformance/vectors")
	}
	counts := map[gscrypto.SigType]int{}
	var blsFile string
	for _, f := range files {
		params, err := publishStorageDealsParams(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for i, d := range params.Deals {
			var plaintext bytes.Buffer
			if err := d.Proposal.MarshalCBOR(&plaintext); err != nil {
				t.Fatal(err)
			}
			sig := d.ClientSignature
			ok, err := VerifySignature(int32(sig.Type), sig.Data, d.Proposal.Client, plaintext.Bytes())
			if err != nil || !ok {
				t.Errorf("%s deal %d (%v client %s): %v, %v", filepath.Base(f), i, sig.Type, d.Proposal.Client, ok, err)
				continue
			}
			counts[sig.Type]++
			if sig.Type == gscrypto.SigTypeBLS {
				blsFile = filepath.Base(f)
			}
			// The same signature over a changed proposal must fail.
			tampered := bytes.Clone(plaintext.Bytes())
			tampered[len(tampered)-1] ^= 1
			if ok, err := VerifySignature(int32(sig.Type), sig.Data, d.Proposal.Client, tampered); ok || err != nil {
				t.Errorf("%s deal %d: tampered proposal verified: %v, %v", filepath.Base(f), i, ok, err)
			}
		}
	}
	t.Logf("%d vectors: %d secp256k1 and %d BLS deal signatures verified (BLS in %s)",
		len(files), counts[gscrypto.SigTypeSecp256k1], counts[gscrypto.SigTypeBLS], blsFile)
	// conformance.md §1.5 counts 144 secp256k1 and 1 BLS over the corpus.
	if len(files) == 30 && (counts[gscrypto.SigTypeSecp256k1] != 144 || counts[gscrypto.SigTypeBLS] != 1) {
		t.Errorf("counted %v, want 144 secp256k1 and 1 BLS", counts)
	}
	if len(files) == 30 && blsFile != "ext-0001-fil_9_storagemarket-PublishStorageDeals-Ok-2.json" {
		t.Errorf("the BLS signature was in %q", blsFile)
	}
}

// publishStorageDealsParams reads the one message of a vector and decodes its
// params. The message is the unsigned Filecoin Message, a 10-field CBOR
// array whose last field is the params byte string (fvm-abi.md §8.8).
func publishStorageDealsParams(path string) (*market9.PublishStorageDealsParams, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var v struct {
		ApplyMessages []struct {
			Bytes string `json:"bytes"`
		} `json:"apply_messages"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	if len(v.ApplyMessages) != 1 {
		return nil, fmt.Errorf("%d messages", len(v.ApplyMessages))
	}
	msg, err := base64.StdEncoding.DecodeString(v.ApplyMessages[0].Bytes)
	if err != nil {
		return nil, err
	}
	method, params, err := messageMethodAndParams(msg)
	if err != nil {
		return nil, err
	}
	if abi.MethodNum(method) != builtin.MethodsMarket.PublishStorageDeals {
		return nil, fmt.Errorf("method %d is not PublishStorageDeals", method)
	}
	var p market9.PublishStorageDealsParams
	if err := p.UnmarshalCBOR(bytes.NewReader(params)); err != nil {
		return nil, err
	}
	return &p, nil
}

func messageMethodAndParams(msg []byte) (uint64, []byte, error) {
	r := cbg.NewCborReader(bytes.NewReader(msg))
	maj, n, err := r.ReadHeader()
	if err != nil || maj != cbg.MajArray || n != 10 {
		return 0, nil, fmt.Errorf("not a 10-field message: %d %d %v", maj, n, err)
	}
	var method uint64
	for i := 0; i < 10; i++ {
		maj, n, err := r.ReadHeader()
		if err != nil {
			return 0, nil, err
		}
		switch maj {
		case cbg.MajUnsignedInt, cbg.MajNegativeInt:
			if i == 8 {
				method = n
			}
		case cbg.MajByteString:
			b := make([]byte, n)
			if _, err := io.ReadFull(r, b); err != nil {
				return 0, nil, err
			}
			if i == 9 {
				return method, b, nil
			}
		default:
			return 0, nil, fmt.Errorf("field %d: major type %d", i, maj)
		}
	}
	return 0, nil, fmt.Errorf("no params")
}
