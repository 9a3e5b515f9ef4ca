package chain

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain/internal/exec"
	"github.com/gofvm/gofvm/chain/internal/rpc"
	"github.com/gofvm/gofvm/chain/internal/store"
	"github.com/gofvm/gofvm/chain/internal/types"
	"github.com/gofvm/gofvm/kernel"
)

// Getter is a read-only block source, such as the loaded bundles.
type Getter = store.Getter

// Config configures a Node.
type Config struct {
	// URL is the endpoint (…/rpc/v1, http(s) or ws(s)); "" works from the
	// cache alone.
	URL string
	// Header is sent with every request (Authorization: Bearer …).
	Header http.Header
	// CacheDir holds the verified blocks and checked answers (LevelDB);
	// "" keeps them in memory.
	CacheDir string
	// Bundles supply actor code and migration bundles (chain.md §3.5 step 4);
	// they are read first and never cached.
	Bundles []Getter
	// Network is the chain's schedule and rules (Mainnet() for mainnet).
	Network *Network
	// TrustNodeFacts takes the network version, circulating supply and
	// randomness digests from the node's state methods instead of computing
	// them (full nodes only; a tipset with null rounds before it or a
	// migration cannot be replayed this way).
	TrustNodeFacts bool
	// Engine runs the actors (nil: a wazero compiler engine of the node's
	// own); Verifier checks proofs (nil: every proof fails); Reachability is
	// the kernel's mode.
	Engine       kernel.Engine
	Verifier     kernel.ProofVerifier
	Reachability kernel.ReachabilityMode
	// Transport: per-attempt timeout, attempts, first backoff, calls in
	// flight (defaults 30 s, 4, 250 ms, 8).
	Timeout     time.Duration
	Attempts    int
	Backoff     time.Duration
	Concurrency int
}

// Node is a Lotus endpoint seen through the verified cache.
type Node struct {
	cfg    Config
	client *rpc.Client
	store  *store.Store
	// ownEngine is closed with the node.
	ownEngine kernel.Engine
}

// Open prepares a node; nothing is sent until it is needed.
func Open(ctx context.Context, cfg Config) (*Node, error) {
	if cfg.Network == nil {
		return nil, errors.New("chain: no network")
	}
	if err := cfg.Network.Check(); err != nil {
		return nil, err
	}
	n := &Node{cfg: cfg}
	if n.cfg.Engine == nil {
		e, err := kernel.NewWasmEngine(ctx)
		if err != nil {
			return nil, fmt.Errorf("chain: starting the wasm engine: %w", err)
		}
		n.cfg.Engine, n.ownEngine = e, e
	}
	so := store.Options{Dir: cfg.CacheDir, Local: cfg.Bundles}
	if cfg.URL != "" {
		c, err := rpc.Dial(ctx, cfg.URL, rpc.Options{Header: cfg.Header, Timeout: cfg.Timeout,
			Attempts: cfg.Attempts, Backoff: cfg.Backoff, Concurrency: cfg.Concurrency})
		if err != nil {
			return nil, err
		}
		n.client = c
		so.Fetch = func(ctx context.Context, k cid.Cid) ([]byte, error) {
			var data []byte
			err := c.Call(ctx, "ChainReadObj "+k.String(), func(ctx context.Context) error {
				var err error
				data, err = c.API.ChainReadObj(ctx, k)
				return err
			})
			var ee *rpc.EndpointError
			if errors.As(err, &ee) {
				return nil, &store.MissingBlockError{Cid: k, Err: ee.Err}
			}
			return data, err
		}
	}
	s, err := store.Open(so)
	if err != nil {
		n.Close()
		return nil, err
	}
	n.store = s
	return n, nil
}

// Close closes the connection and the cache.
func (n *Node) Close() error {
	if n.ownEngine != nil {
		_ = kernel.CloseEngine(context.Background(), n.ownEngine)
		n.ownEngine = nil
	}
	if n.client != nil {
		n.client.Close()
		n.client = nil
	}
	if n.store != nil {
		err := n.store.Close()
		n.store = nil
		return err
	}
	return nil
}

// Calls is the number of requests sent to the endpoint.
func (n *Node) Calls() int64 {
	if n.client == nil {
		return 0
	}
	return n.client.Calls()
}

// Fetched is the number of blocks fetched from the endpoint.
func (n *Node) Fetched() int64 { return n.store.Fetched() }

// Blockstore is the verified store (bundles, cache, endpoint).
func (n *Node) Blockstore() Blockstore { return n.store }

// errOffline says an answer is needed that the cache does not hold.
var errOffline = errors.New("not in the cache, and no endpoint given")

// answer returns a cached answer or asks the endpoint, checks the answer
// with check, and caches it only if it passes.
func answer[T any](ctx context.Context, n *Node, name string, ask func(context.Context, *rpc.API) (T, error), check func(T) error) (T, error) {
	var v T
	if ok, err := n.store.GetAnswer(ctx, name, &v); err != nil || ok {
		return v, err
	}
	if n.client == nil {
		return v, fmt.Errorf("%s: %w", name, errOffline)
	}
	err := n.client.Call(ctx, name, func(ctx context.Context) error {
		var err error
		v, err = ask(ctx, &n.client.API)
		return err
	})
	if err != nil {
		return v, err
	}
	if check != nil {
		if err := check(v); err != nil {
			return v, fmt.Errorf("%s: the endpoint's answer does not check out: %w", name, err)
		}
	}
	return v, n.store.PutAnswer(ctx, name, v)
}

// TipSet loads a tipset by key from the cache or the endpoint.
func (n *Node) TipSet(ctx context.Context, key []cid.Cid) (*TipSet, error) {
	return exec.LoadTipSet(ctx, n.store, key)
}

// Genesis is the genesis tipset.
func (n *Node) Genesis(ctx context.Context) (*TipSet, error) {
	key, err := answer(ctx, n, "genesis", func(ctx context.Context, a *rpc.API) ([]cid.Cid, error) {
		ts, err := a.ChainGetGenesis(ctx)
		if err != nil || ts == nil {
			return nil, orNil(err, "no genesis")
		}
		return ts.Cids(), nil
	}, func(key []cid.Cid) error {
		ts, err := n.TipSet(ctx, key)
		if err != nil {
			return err
		}
		if ts.Height() != 0 {
			return fmt.Errorf("genesis at height %d", ts.Height())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n.TipSet(ctx, key)
}

// Head is the endpoint's current head (never cached).
func (n *Node) Head(ctx context.Context) (*TipSet, error) {
	if n.client == nil {
		return nil, fmt.Errorf("chain head: %w", errOffline)
	}
	var key []cid.Cid
	err := n.client.Call(ctx, "ChainHead", func(ctx context.Context) error {
		ts, err := n.client.API.ChainHead(ctx)
		if err != nil || ts == nil {
			return orNil(err, "no head")
		}
		key = ts.Cids()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n.TipSet(ctx, key)
}

// TipSetAfter is the first non-null tipset at or above height h on the
// endpoint's chain (checked to be at or above h; the answer is cached).
func (n *Node) TipSetAfter(ctx context.Context, h abi.ChainEpoch) (*TipSet, error) {
	key, err := answer(ctx, n, fmt.Sprintf("after/%d", h), func(ctx context.Context, a *rpc.API) ([]cid.Cid, error) {
		ts, err := a.ChainGetTipSetAfterHeight(ctx, h, nil)
		if err != nil || ts == nil {
			return nil, orNil(err, "no tipset")
		}
		return ts.Cids(), nil
	}, func(key []cid.Cid) error {
		ts, err := n.TipSet(ctx, key)
		if err != nil {
			return err
		}
		if ts.Height() < h {
			return fmt.Errorf("tipset at %d is below %d", ts.Height(), h)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n.TipSet(ctx, key)
}

// childOf is the tipset executing ts: the first non-null tipset above it,
// which must have ts as its parent.
func (n *Node) childOf(ctx context.Context, ts *TipSet) (*TipSet, error) {
	c, err := n.TipSetAfter(ctx, ts.Height()+1)
	if err != nil {
		return nil, fmt.Errorf("the child of the tipset at %d: %w", ts.Height(), err)
	}
	if types.KeyString(c.Parents()) != types.KeyString(ts.Cids()) {
		return nil, fmt.Errorf("the tipset at %d is not the parent of the next tipset (at %d): not on the endpoint's chain",
			ts.Height(), c.Height())
	}
	return c, nil
}

// Located says where a message was applied: in Inclusion, executed (its
// receipt) in Execution, the child.
type Located struct {
	Message   cid.Cid
	Inclusion *TipSet
	Execution *TipSet
}

// Locate finds the tipset a message was applied in (StateSearchMsg) and
// checks that one of its blocks carries the message.
func (n *Node) Locate(ctx context.Context, msg cid.Cid) (*Located, error) {
	key, err := answer(ctx, n, "msg/"+msg.String(), func(ctx context.Context, a *rpc.API) ([]cid.Cid, error) {
		l, err := a.StateSearchMsg(ctx, nil, msg, -1, true)
		if err != nil {
			return nil, err
		}
		if l == nil {
			return nil, fmt.Errorf("the endpoint knows no message %s", msg)
		}
		return l.TipSet, nil
	}, func(key []cid.Cid) error {
		_, err := n.locateIn(ctx, msg, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	return n.locateIn(ctx, msg, key)
}

func (n *Node) locateIn(ctx context.Context, msg cid.Cid, execKey []cid.Cid) (*Located, error) {
	c, err := n.TipSet(ctx, execKey)
	if err != nil {
		return nil, err
	}
	t, err := n.TipSet(ctx, c.Parents())
	if err != nil {
		return nil, err
	}
	for _, h := range t.Blocks() {
		ms, err := exec.BlockMessages(ctx, n.store, h)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.Cid.Equals(msg) {
				return &Located{Message: msg, Inclusion: t, Execution: c}, nil
			}
		}
	}
	return nil, fmt.Errorf("message %s is in no block of the tipset at %d", msg, t.Height())
}

// nodeFacts asks the node's state methods for a tipset's network version,
// circulating supply and randomness digests (answers cached).
type nodeFacts struct {
	ctx context.Context
	n   *Node
	ts  *TipSet
}

func (f nodeFacts) key() string { return types.KeyString(f.ts.Cids()) }

func (f nodeFacts) version() (network.Version, error) {
	return answer(f.ctx, f.n, "nv/"+f.key(), func(ctx context.Context, a *rpc.API) (network.Version, error) {
		return a.StateNetworkVersion(ctx, f.ts.Cids())
	}, nil)
}

func (f nodeFacts) supply() (abi.TokenAmount, error) {
	return answer(f.ctx, f.n, "supply/"+f.key(), func(ctx context.Context, a *rpc.API) (abi.TokenAmount, error) {
		s, err := a.StateVMCirculatingSupplyInternal(ctx, f.ts.Cids())
		if err != nil || s == nil {
			return abi.TokenAmount{}, orNil(err, "no supply")
		}
		return s.FilCirculating, nil
	}, nil)
}

func (f nodeFacts) digest(kind string, round abi.ChainEpoch) ([32]byte, error) {
	b, err := answer(f.ctx, f.n, fmt.Sprintf("rand/%s/%d/%s", kind, round, f.key()), func(ctx context.Context, a *rpc.API) ([]byte, error) {
		if kind == "beacon" {
			return a.StateGetRandomnessDigestFromBeacon(ctx, round, f.ts.Cids())
		}
		return a.StateGetRandomnessDigestFromTickets(ctx, round, f.ts.Cids())
	}, func(b []byte) error {
		if len(b) != 32 {
			return fmt.Errorf("a %d-byte digest", len(b))
		}
		return nil
	})
	if err != nil {
		return [32]byte{}, err
	}
	return [32]byte(b), nil
}

func (f nodeFacts) ChainDigest(e abi.ChainEpoch) ([32]byte, error)  { return f.digest("tickets", e) }
func (f nodeFacts) BeaconDigest(e abi.ChainEpoch) ([32]byte, error) { return f.digest("beacon", e) }

func orNil(err error, what string) error {
	if err != nil {
		return err
	}
	return errors.New(what)
}

// keyName is a tipset key for messages.
func keyName(ts *TipSet) string { return strings.Trim(types.KeyString(ts.Cids()), "{}") }
