package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/filecoin-project/go-state-types/abi"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	ipld "github.com/ipfs/go-ipld-format"
	mh "github.com/multiformats/go-multihash"
)

func block(t *testing.T, data string) blocks.Block {
	t.Helper()
	c, err := abi.CidBuilder.Sum([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := blocks.NewBlockWithCid([]byte(data), c)
	return b
}

// TestFetchOnceVerifyAndCache: concurrent readers of one missing block share
// one fetch; the block is cached and read offline afterwards.
func TestFetchOnceVerifyAndCache(t *testing.T) {
	ctx := context.Background()
	b := block(t, "\x63abc")
	var fetches atomic.Int32
	release := make(chan struct{})
	s, err := Open(Options{Dir: t.TempDir(), Fetch: func(ctx context.Context, c cid.Cid) ([]byte, error) {
		fetches.Add(1)
		<-release
		return b.RawData(), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := s.Get(ctx, b.Cid())
			if err != nil || string(got.RawData()) != "\x63abc" {
				t.Errorf("get: %v", err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if fetches.Load() != 1 || s.Fetched() != 1 {
		t.Errorf("%d fetches", fetches.Load())
	}
	if ok, _ := s.Has(ctx, b.Cid()); !ok {
		t.Error("not cached")
	}
}

// TestCorruptAndMissing: bytes that do not hash to the CID are refused and
// not cached; a missing block is an error naming the CID; both are recorded
// as the failure a replay aborts on.
func TestCorruptAndMissing(t *testing.T) {
	ctx := context.Background()
	good, other := block(t, "\x61a"), block(t, "\x61b")
	s, _ := Open(Options{Fetch: func(ctx context.Context, c cid.Cid) ([]byte, error) {
		if c.Equals(good.Cid()) {
			return other.RawData(), nil
		}
		return nil, &MissingBlockError{Cid: c, Err: errors.New("not found")}
	}})
	defer s.Close()
	_, err := s.Get(ctx, good.Cid())
	var ce *CorruptBlockError
	if !errors.As(err, &ce) || !ce.Got.Equals(other.Cid()) {
		t.Fatalf("corrupt: %v", err)
	}
	if ok, _ := s.Has(ctx, good.Cid()); ok {
		t.Error("corrupt block cached")
	}
	if s.Failure() == nil {
		t.Error("failure not recorded")
	}
	s.ResetFailure()
	_, err = s.Get(ctx, other.Cid())
	var mb *MissingBlockError
	if !errors.As(err, &mb) || !mb.Cid.Equals(other.Cid()) || s.Failure() == nil {
		t.Errorf("missing: %v", err)
	}
	// A block the machine made is checked too.
	bad, _ := blocks.NewBlockWithCid([]byte("x"), good.Cid())
	if err := s.Put(ctx, bad); err == nil {
		t.Error("Put accepted bytes that do not match the CID")
	}
}

// TestInlineAndOffline: identity CIDs carry their data; offline, a missing
// block is ipld.ErrNotFound.
func TestInlineAndOffline(t *testing.T) {
	ctx := context.Background()
	s, _ := Open(Options{})
	defer s.Close()
	c, _ := cid.V1Builder{Codec: cid.Raw, MhType: mh.IDENTITY}.Sum([]byte("inline"))
	if b, err := s.Get(ctx, c); err != nil || string(b.RawData()) != "inline" {
		t.Errorf("identity: %v", err)
	}
	_, err := s.Get(ctx, block(t, "\x61z").Cid())
	if !ipld.IsNotFound(err) {
		t.Errorf("offline: %v", err)
	}
}

// TestAnswers round-trip through the cache.
func TestAnswers(t *testing.T) {
	ctx := context.Background()
	s, _ := Open(Options{})
	defer s.Close()
	var v []int
	if ok, err := s.GetAnswer(ctx, "k", &v); ok || err != nil {
		t.Fatal("an answer out of nothing")
	}
	if err := s.PutAnswer(ctx, "k", []int{1, 2}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.GetAnswer(ctx, "k", &v); !ok || err != nil || len(v) != 2 {
		t.Errorf("answer %v %v %v", v, ok, err)
	}
}
