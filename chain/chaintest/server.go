package chaintest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"time"

	"github.com/filecoin-project/go-jsonrpc"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	"golang.org/x/crypto/blake2b"

	"github.com/gofvm/gofvm/chain/internal/exec"
	"github.com/gofvm/gofvm/chain/internal/rpc"
	"github.com/gofvm/gofvm/chain/internal/types"
)

// Backend is what a Server serves: a chain's tipsets and blocks, and the
// answers of the state methods a full node gives.
type Backend interface {
	// TipSets in height order, genesis first (the head last).
	TipSets() []*types.TipSet
	// Raw is any block by CID: headers, messages, receipts, state.
	Raw(c cid.Cid) ([]byte, bool)
	// AppliedIn is the tipset a message (by chain CID) was applied in.
	AppliedIn(m cid.Cid) (*types.TipSet, bool)
	// Facts are the state methods' answers for a tipset.
	NetworkVersion(ts *types.TipSet) network.Version
	CirculatingSupply(ts *types.TipSet) (abi.TokenAmount, error)
	Digest(beacon bool, round abi.ChainEpoch, ts *types.TipSet) ([32]byte, error)
	GenesisTimestamp() uint64
}

// Server is a go-jsonrpc server on 127.0.0.1 serving a Backend with
// Lotus's v1 method names, with switchable faults.
type Server struct {
	URL string
	b   Backend
	srv *httptest.Server

	mu      sync.Mutex
	calls   map[string]int
	faults  faults
	readObj int
}

type faults struct {
	missing   map[cid.Cid]bool
	corrupt   map[cid.Cid]bool
	slow      time.Duration
	drop      bool
	malformed bool
}

// Serve starts a server for b; Close it when done.
func Serve(b Backend) *Server {
	s := &Server{b: b, calls: map[string]int{}}
	s.faults.missing, s.faults.corrupt = map[cid.Cid]bool{}, map[cid.Cid]bool{}
	rs := jsonrpc.NewServer()
	rs.Register("Filecoin", &handler{s: s})
	s.srv = httptest.NewServer(s.middleware(rs))
	s.URL = s.srv.URL + "/rpc/v1"
	return s
}

// Close stops the server.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Calls is how many requests each method got.
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// TotalCalls is the number of requests of every method.
func (s *Server) TotalCalls() int {
	n := 0
	for _, v := range s.Calls() {
		n += v
	}
	return n
}

// CallSummary lists the calls per method, sorted, for messages.
func (s *Server) CallSummary() string {
	c := s.Calls()
	var ks []string
	for k := range c {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var b bytes.Buffer
	for _, k := range ks {
		fmt.Fprintf(&b, "%s=%d ", k, c[k])
	}
	return b.String()
}

// SetMissing makes ChainReadObj answer "not found" for c (or stops it).
func (s *Server) SetMissing(c cid.Cid, on bool) { s.set(func(f *faults) { f.missing[c] = on }) }

// SetCorrupt makes ChainReadObj flip a byte of c's data (or stops it).
func (s *Server) SetCorrupt(c cid.Cid, on bool) { s.set(func(f *faults) { f.corrupt[c] = on }) }

// SetSlow delays every answer by d (0: off).
func (s *Server) SetSlow(d time.Duration) { s.set(func(f *faults) { f.slow = d }) }

// SetDrop closes every connection without an answer.
func (s *Server) SetDrop(on bool) { s.set(func(f *faults) { f.drop = on }) }

// SetMalformed answers every request with bytes that are not JSON.
func (s *Server) SetMalformed(on bool) { s.set(func(f *faults) { f.malformed = on }) }

func (s *Server) set(f func(*faults)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.faults)
}

func (s *Server) snapshot() faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// middleware counts requests by method and applies the transport faults.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var req struct {
			Method string `json:"method"`
		}
		_ = json.Unmarshal(body, &req)
		s.mu.Lock()
		s.calls[req.Method]++
		s.mu.Unlock()
		f := s.snapshot()
		if f.slow > 0 {
			select {
			case <-time.After(f.slow):
			case <-r.Context().Done():
				return
			}
		}
		if f.drop {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.(net.Conn).Close()
					return
				}
			}
		}
		if f.malformed {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":`))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// handler implements the Filecoin.* methods (chain.md §3.3) over a Backend.
type handler struct{ s *Server }

var errNotFound = errors.New("blockstore: block not found")

func (h *handler) head() *types.TipSet {
	ts := h.s.b.TipSets()
	return ts[len(ts)-1]
}

func (h *handler) byKey(key []cid.Cid) (*types.TipSet, error) {
	if len(key) == 0 {
		return h.head(), nil
	}
	want := types.KeyString(key)
	for _, ts := range h.s.b.TipSets() {
		if types.KeyString(ts.Cids()) == want {
			return ts, nil
		}
	}
	return nil, fmt.Errorf("tipset %s not found", want)
}

func (h *handler) ChainHead(context.Context) (*types.TipSet, error) { return h.head(), nil }

func (h *handler) ChainGetGenesis(context.Context) (*types.TipSet, error) {
	return h.s.b.TipSets()[0], nil
}

func (h *handler) ChainGetTipSet(_ context.Context, key []cid.Cid) (*types.TipSet, error) {
	return h.byKey(key)
}

func (h *handler) ChainGetBlock(_ context.Context, c cid.Cid) (*types.BlockHeader, error) {
	raw, ok := h.s.b.Raw(c)
	if !ok {
		return nil, errNotFound
	}
	return types.DecodeBlockHeader(raw)
}

// at is the tipset at height on the anchor's chain: the earlier one when
// the height is null if prev, else the later one (chain.md §3.3).
func (h *handler) at(height abi.ChainEpoch, anchor []cid.Cid, prev bool) (*types.TipSet, error) {
	a, err := h.byKey(anchor)
	if err != nil {
		return nil, err
	}
	if height > a.Height() {
		return nil, fmt.Errorf("looking for tipset with height greater than start point")
	}
	var below, above *types.TipSet
	for _, ts := range h.s.b.TipSets() {
		if ts.Height() > a.Height() {
			break
		}
		if ts.Height() == height {
			return ts, nil
		}
		if ts.Height() < height {
			below = ts
		} else if above == nil {
			above = ts
		}
	}
	if prev || above == nil {
		return below, nil
	}
	return above, nil
}

func (h *handler) ChainGetTipSetByHeight(_ context.Context, height abi.ChainEpoch, anchor []cid.Cid) (*types.TipSet, error) {
	return h.at(height, anchor, true)
}

func (h *handler) ChainGetTipSetAfterHeight(_ context.Context, height abi.ChainEpoch, anchor []cid.Cid) (*types.TipSet, error) {
	return h.at(height, anchor, false)
}

func (h *handler) ChainReadObj(_ context.Context, c cid.Cid) ([]byte, error) {
	f := h.s.snapshot()
	if f.missing[c] {
		return nil, errNotFound
	}
	raw, ok := h.s.b.Raw(c)
	if !ok {
		return nil, errNotFound
	}
	if f.corrupt[c] {
		raw = append([]byte(nil), raw...)
		raw[len(raw)-1] ^= 0xff
	}
	return raw, nil
}

func (h *handler) ChainHasObj(_ context.Context, c cid.Cid) (bool, error) {
	_, ok := h.s.b.Raw(c)
	return ok, nil
}

// StateSearchMsg finds the tipset a message was applied in and answers
// with its child (the execution tipset) and the receipt from the child's
// receipts AMT.
func (h *handler) StateSearchMsg(ctx context.Context, _ []cid.Cid, m cid.Cid, _ abi.ChainEpoch, _ bool) (*rpc.MsgLookup, error) {
	in, ok := h.s.b.AppliedIn(m)
	if !ok {
		return nil, nil
	}
	var child *types.TipSet
	for _, ts := range h.s.b.TipSets() {
		if ts.Height() > in.Height() && types.KeyString(ts.Parents()) == types.KeyString(in.Cids()) {
			child = ts
			break
		}
	}
	if child == nil {
		return nil, nil
	}
	return &rpc.MsgLookup{Message: m, TipSet: child.Cids(), Height: child.Height()}, nil
}

func (h *handler) StateNetworkVersion(_ context.Context, key []cid.Cid) (network.Version, error) {
	ts, err := h.byKey(key)
	if err != nil {
		return 0, err
	}
	return h.s.b.NetworkVersion(ts), nil
}

func (h *handler) StateVMCirculatingSupplyInternal(_ context.Context, key []cid.Cid) (*rpc.CirculatingSupply, error) {
	ts, err := h.byKey(key)
	if err != nil {
		return nil, err
	}
	v, err := h.s.b.CirculatingSupply(ts)
	if err != nil {
		return nil, err
	}
	return &rpc.CirculatingSupply{FilCirculating: v, FilVested: v, FilMined: zeroAmt(), FilBurnt: zeroAmt(),
		FilLocked: zeroAmt(), FilReserveDisbursed: zeroAmt()}, nil
}

func (h *handler) StateGetRandomnessDigestFromTickets(_ context.Context, round abi.ChainEpoch, key []cid.Cid) ([]byte, error) {
	return h.digest(false, round, key)
}

func (h *handler) StateGetRandomnessDigestFromBeacon(_ context.Context, round abi.ChainEpoch, key []cid.Cid) ([]byte, error) {
	return h.digest(true, round, key)
}

func (h *handler) digest(beacon bool, round abi.ChainEpoch, key []cid.Cid) ([]byte, error) {
	ts, err := h.byKey(key)
	if err != nil {
		return nil, err
	}
	d, err := h.s.b.Digest(beacon, round, ts)
	if err != nil {
		return nil, err
	}
	return d[:], nil
}

func (h *handler) StateGetNetworkParams(context.Context) (*rpc.NetworkParams, error) {
	return &rpc.NetworkParams{NetworkName: NetworkName, BlockDelaySecs: 30, Eip155ChainID: 314,
		GenesisTimestamp: h.s.b.GenesisTimestamp()}, nil
}

// The Chain is a Backend: its facts are the test network's rules.

// NetworkVersion is the version ts's messages run under.
func (c *Chain) NetworkVersion(ts *types.TipSet) network.Version { return c.Net.VersionAt(ts.Height()) }

// CirculatingSupply is the rule on ts's parent state at its height.
func (c *Chain) CirculatingSupply(ts *types.TipSet) (abi.TokenAmount, error) {
	return c.Net.Supply(context.Background(), c.Store, ts.ParentState(), ts.Height(), c.NetworkVersion(ts))
}

// Digest is the chain or beacon digest for round anchored at ts (what the
// state methods answer; chain.md §2.2–2.3).
func (c *Chain) Digest(beacon bool, round abi.ChainEpoch, ts *types.TipSet) ([32]byte, error) {
	view := exec.NewChainView(c.Store, ts)
	t, err := view.At(context.Background(), round, false)
	if err != nil {
		return [32]byte{}, err
	}
	if beacon {
		return blake2b.Sum256(t.MinTicketBlock().BeaconEntries[0].Data), nil
	}
	return blake2b.Sum256(t.MinTicketBlock().Ticket.VRFProof), nil
}

// Raw is a block's bytes.
func (c *Chain) Raw(cid cid.Cid) ([]byte, bool) { return c.Store.Raw(cid) }

// GenesisTimestamp is the genesis block's timestamp.
func (c *Chain) GenesisTimestamp() uint64 { return c.GenesisTime }
