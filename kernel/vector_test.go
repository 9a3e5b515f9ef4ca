package kernel

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/filecoin-project/test-vectors/schema"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	car "github.com/ipld/go-car"

	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
)

// memBlockstore is a map blockstore for tests.
type memBlockstore struct {
	mu sync.Mutex
	m  map[cid.Cid]blocks.Block
}

func newMemBlockstore() *memBlockstore { return &memBlockstore{m: map[cid.Cid]blocks.Block{}} }

var errNotFound = errors.New("block not found")

func (b *memBlockstore) Get(_ context.Context, c cid.Cid) (blocks.Block, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if blk, ok := b.m[c]; ok {
		return blk, nil
	}
	return nil, errNotFound
}

func (b *memBlockstore) Put(_ context.Context, blk blocks.Block) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.m[blk.Cid()] = blk
	return nil
}

func (b *memBlockstore) loadCAR(t testing.TB, r io.Reader) {
	t.Helper()
	cr, err := car.NewCarReader(r)
	if err != nil {
		t.Fatal(err)
	}
	for {
		blk, err := cr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		_ = b.Put(context.Background(), blk)
	}
}

const conformanceDir = "../.conformance"

func findVector(t testing.TB, name string) string {
	t.Helper()
	var found string
	_ = filepath.WalkDir(filepath.Join(conformanceDir, "vectors"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == name {
			found = p
		}
		return nil
	})
	if found == "" {
		t.Skipf("vector %s not present (no .conformance)", name)
	}
	return found
}

// vectorResult is what running one vector produced.
type vectorResult struct {
	receipt  Receipt
	root     cid.Cid
	expected schema.Receipt
	postRoot cid.Cid
}

// loadedVector is a vector ready to apply: its blocks and the bundle in a
// store, the machine options and the message.
type loadedVector struct {
	tv     schema.TestVector
	bs     *memBlockstore
	nv     network.Version
	opts   []Option
	msg    *Message
	length int
}

// loadVector reads a vector and the mainnet bundle of its network version.
func loadVector(t testing.TB, path string, eng Engine) *loadedVector {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lv := &loadedVector{bs: newMemBlockstore()}
	if err := json.Unmarshal(raw, &lv.tv); err != nil {
		t.Fatal(err)
	}
	tv := &lv.tv
	gz, err := gzip.NewReader(bytes.NewReader(tv.CAR))
	if err != nil {
		t.Fatal(err)
	}
	lv.bs.loadCAR(t, gz)
	variant := tv.Pre.Variants[0]
	lv.nv = network.Version(variant.NetworkVersion)
	bundle := "v9"
	if lv.nv >= network.Version18 {
		bundle = "v10"
	}
	f, err := os.Open(filepath.Join(conformanceDir, "bundles", bundle, "builtin-actors-mainnet.car"))
	if err != nil {
		t.Skipf("bundle: %v", err)
	}
	defer f.Close()
	lv.bs.loadCAR(t, f)

	epoch := abi.ChainEpoch(variant.Epoch)
	lv.opts = []Option{WithEpoch(epoch), WithTimestamp(uint64(epoch) * 30),
		WithBaseFee(big.NewFromGo(tv.Pre.BaseFee)), WithCirculatingSupply(big.NewFromGo(tv.Pre.CircSupply)),
		WithExterns(vectorExterns{rand: tv.Randomness}),
		// ref-fvm's runner fakes every proof as valid (conformance.md §1.5).
		WithProofVerifier(fvmcrypto.TrustAllProofsForConformanceVectorsOnly())}
	if eng != nil {
		lv.opts = append(lv.opts, WithEngine(eng))
	}
	switch os.Getenv("GOFVM_KERNEL_REACH") {
	case "strict":
		lv.opts = append(lv.opts, WithReachability(ReachabilityStrict))
	case "audit":
		lv.opts = append(lv.opts, WithReachability(ReachabilityAudit))
	}
	if len(tv.ApplyMessages) != 1 || len(tv.Post.Receipts) != 1 {
		t.Fatalf("expected one message")
	}
	if lv.msg, err = DecodeMessage(tv.ApplyMessages[0].Bytes); err != nil {
		t.Fatal(err)
	}
	lv.length = len(tv.ApplyMessages[0].Bytes)
	if lv.msg.From.Protocol() == address.SECP256K1 {
		lv.length += 65 + 4 // the runner counts a secp signature (conformance.md §1.5)
	}
	return lv
}

// apply builds a machine at the pre-state and applies the message.
func (lv *loadedVector) apply(t testing.TB) (*Machine, *ApplyRet) {
	t.Helper()
	ctx := context.Background()
	m, err := NewMachine(ctx, lv.bs, lv.tv.Pre.StateTree.RootCID, lv.nv, lv.opts...)
	if err != nil {
		t.Fatal(err)
	}
	ret, err := NewExecutor(m).ApplyMessage(ctx, lv.msg, lv.length)
	if err != nil {
		t.Fatal(err)
	}
	return m, ret
}

// runVector applies the vector's single message with the given engine.
func runVector(t *testing.T, path string, eng Engine) vectorResult {
	t.Helper()
	lv := loadVector(t, path, eng)
	m, ret := lv.apply(t)
	root, err := m.Flush(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ret.FailureInfo != "" {
		t.Logf("failure: %s", ret.FailureInfo)
	}
	for _, v := range ret.ReachabilityViolations {
		t.Logf("reachability violation: actor %d method %d: %s %s: %v", v.Actor, v.Method, v.Op, v.Cid, v.Err)
	}
	return vectorResult{receipt: ret.Receipt, root: root, expected: *lv.tv.Post.Receipts[0],
		postRoot: lv.tv.Post.StateTree.RootCID}
}

func checkVector(t *testing.T, r vectorResult) {
	t.Helper()
	if int64(r.receipt.ExitCode) != int64(r.expected.ExitCode) || r.receipt.GasUsed != r.expected.GasUsed ||
		!bytes.Equal(r.receipt.Return, r.expected.ReturnValue) {
		t.Errorf("receipt = {exit %d, gas %d, ret %x}, want {exit %d, gas %d, ret %x}",
			r.receipt.ExitCode, r.receipt.GasUsed, r.receipt.Return,
			r.expected.ExitCode, r.expected.GasUsed, r.expected.ReturnValue)
	}
	if r.root != r.postRoot {
		t.Errorf("post-state root = %s, want %s", r.root, r.postRoot)
	}
}

// The real nv17 account Send vector: method 0, value 0, no wasm runs.
// Expected: exit 0, gas_used 220,196 = 85,663 + 1,300·81 (inclusion, L = 81
// bytes of the BLS-signed message) + 29,233 (OnMethodInvocation, method 0,
// value 0), and the vector's post-state root.
func TestVectorAccountSendNv17(t *testing.T) {
	r := runVector(t, findVector(t, "ext-0001-fil_9_account-Send-Ok-1.json"), nil)
	if r.expected.GasUsed != 220_196 {
		t.Fatalf("unexpected vector contents")
	}
	checkVector(t, r)

	// The same through ApplyOne.
	lv := loadVector(t, findVector(t, "ext-0001-fil_9_account-Send-Ok-1.json"), nil)
	ret, post, err := ApplyOne(context.Background(), lv.bs, lv.tv.Pre.StateTree.RootCID, lv.nv,
		lv.tv.ApplyMessages[0].Bytes, lv.length, lv.opts...)
	if err != nil {
		t.Fatal(err)
	}
	checkVector(t, vectorResult{receipt: ret.Receipt, root: post, expected: r.expected, postRoot: r.postRoot})
}
