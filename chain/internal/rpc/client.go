package rpc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/filecoin-project/go-jsonrpc"
)

// Options configure a Client.
type Options struct {
	// Header is sent with every request (e.g. Authorization: Bearer …).
	Header http.Header
	// Timeout bounds one attempt of one call (default 30 s): go-jsonrpc's
	// HTTP transport has no overall deadline of its own (chain.md §3.7).
	Timeout time.Duration
	// Attempts is how many times a call is tried when the transport fails
	// (default 4); an error the endpoint answers with is never retried.
	Attempts int
	// Backoff is the wait before the second attempt, doubled each time
	// (default 250 ms).
	Backoff time.Duration
	// Concurrency bounds the calls in flight (default 8).
	Concurrency int
}

func (o *Options) defaults() {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 4
	}
	if o.Backoff <= 0 {
		o.Backoff = 250 * time.Millisecond
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
}

// Client calls a Lotus endpoint. Use Call around each API method so that
// it is bounded, timed out and retried.
type Client struct {
	API    API
	URL    string
	opts   Options
	sem    chan struct{}
	calls  atomic.Int64
	closer jsonrpc.ClientCloser
}

// Dial prepares a client for url (http(s) or ws(s); …/rpc/v1). Nothing is
// sent until the first call.
func Dial(ctx context.Context, url string, opts Options) (*Client, error) {
	opts.defaults()
	c := &Client{URL: url, opts: opts, sem: make(chan struct{}, opts.Concurrency)}
	hc := &http.Client{Transport: countingTransport{next: http.DefaultTransport, n: &c.calls}}
	closer, err := jsonrpc.NewMergeClient(ctx, url, "Filecoin", []any{&c.API}, opts.Header,
		jsonrpc.WithHTTPClient(hc), jsonrpc.WithTimeout(opts.Timeout), jsonrpc.WithNoReconnect())
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", url, err)
	}
	c.closer = closer
	return c, nil
}

// Close releases the connection.
func (c *Client) Close() {
	if c.closer != nil {
		c.closer()
	}
}

// Calls is the number of HTTP requests sent so far (every attempt counts).
func (c *Client) Calls() int64 { return c.calls.Load() }

// countingTransport counts requests.
type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(r)
}

// ErrTransport is wrapped by failures to reach the endpoint or to read its
// answer (after every retry); an error the endpoint itself returned is not.
var ErrTransport = errors.New("endpoint unreachable or its answer unreadable")

// Call runs f with a per-attempt deadline inside the concurrency bound, and
// retries with exponential backoff while the failure is the transport's.
// what names the call in errors ("ChainReadObj bafy…").
func (c *Client) Call(ctx context.Context, what string, f func(ctx context.Context) error) error {
	wait := c.opts.Backoff
	var last error
	for attempt := 1; attempt <= c.opts.Attempts; attempt++ {
		if attempt > 1 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("%s: %w (last failure: %v)", what, ctx.Err(), last)
			case <-t.C:
			}
			wait *= 2
		}
		select {
		case c.sem <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
		actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
		err := f(actx)
		timedOut := actx.Err() != nil && ctx.Err() == nil
		cancel()
		<-c.sem
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", what, ctx.Err())
		}
		if !timedOut && !isTransport(err) {
			return &EndpointError{What: what, Err: err}
		}
		if timedOut {
			err = fmt.Errorf("no answer within %s: %w", c.opts.Timeout, err)
		}
		last = err
	}
	return fmt.Errorf("%s at %s: %w after %d attempts: %v", what, c.URL, ErrTransport, c.opts.Attempts, last)
}

// EndpointError is an error the endpoint answered with (the call reached
// it and it said no, e.g. a block it does not have).
type EndpointError struct {
	What string
	Err  error
}

func (e *EndpointError) Error() string { return e.What + ": the endpoint answered: " + e.Err.Error() }
func (e *EndpointError) Unwrap() error { return e.Err }

// isTransport: go-jsonrpc wraps everything that happened on our side of the
// wire (dial, send, an unreadable or mismatched answer) in ErrClient; an
// error object from the server is not.
func isTransport(err error) bool {
	var ce *jsonrpc.ErrClient
	if errors.As(err, &ce) {
		return true
	}
	var conn *jsonrpc.RPCConnectionError
	return errors.As(err, &conn)
}
