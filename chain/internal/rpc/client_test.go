package rpc

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/filecoin-project/go-jsonrpc"
)

func newClient(o Options) *Client {
	o.defaults()
	return &Client{URL: "http://127.0.0.1:1/rpc/v1", opts: o, sem: make(chan struct{}, o.Concurrency)}
}

// TestCallBoundsConcurrency: no more calls run at once than Concurrency.
func TestCallBoundsConcurrency(t *testing.T) {
	c := newClient(Options{Concurrency: 3})
	var now, peak atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.Call(context.Background(), "x", func(context.Context) error {
				n := now.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(5 * time.Millisecond)
				now.Add(-1)
				return nil
			})
		}()
	}
	wg.Wait()
	if peak.Load() > 3 || peak.Load() == 0 {
		t.Errorf("peak %d calls at once", peak.Load())
	}
}

// TestCallRetries: transport failures are retried with backoff, answers
// from the endpoint are not, and a slow call times out per attempt.
func TestCallRetries(t *testing.T) {
	ctx := context.Background()
	c := newClient(Options{Attempts: 3, Backoff: time.Millisecond, Timeout: 20 * time.Millisecond})
	tries := 0
	err := c.Call(ctx, "ChainReadObj x", func(context.Context) error {
		tries++
		return &jsonrpc.ErrClient{}
	})
	if tries != 3 || !errors.Is(err, ErrTransport) || !strings.Contains(err.Error(), "ChainReadObj x") {
		t.Errorf("transport: %d tries, %v", tries, err)
	}
	tries = 0
	err = c.Call(ctx, "y", func(context.Context) error { tries++; return errors.New("block not found") })
	var ee *EndpointError
	if tries != 1 || !errors.As(err, &ee) {
		t.Errorf("endpoint error: %d tries, %v", tries, err)
	}
	tries = 0
	err = c.Call(ctx, "z", func(ctx context.Context) error { tries++; <-ctx.Done(); return ctx.Err() })
	if tries != 3 || !strings.Contains(err.Error(), "no answer within") {
		t.Errorf("slow: %d tries, %v", tries, err)
	}
	tries = 0
	err = c.Call(ctx, "w", func(context.Context) error {
		tries++
		if tries < 2 {
			return &jsonrpc.RPCConnectionError{}
		}
		return nil
	})
	if err != nil || tries != 2 {
		t.Errorf("recovering: %d tries, %v", tries, err)
	}
}
