package kernel

import (
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/tracing"
)

// Helpers of the FIP-0071 tests: blocks written byte by byte, a log of the
// charges each kernel call makes, and one message run by Go actors.

// blake is the blake2b-256 CIDv1 of data with codec.
func blake(t testing.TB, codec uint64, data []byte) cid.Cid {
	t.Helper()
	c, err := cid.V1Builder{Codec: codec, MhType: mh.BLAKE2B_MIN + 31}.Sum(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// identityCid is the CID of codec whose identity multihash inlines data.
func identityCid(t testing.TB, codec uint64, data []byte) cid.Cid {
	t.Helper()
	m, err := mh.Sum(data, mh.IDENTITY, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV1(codec, m)
}

// cbLink is the DAG-CBOR encoding of a link: tag 42, byte string of the
// 0x00 prefix and the binary CID (43 bytes for a blake2b-256 CIDv1 whose
// codec fits in one byte).
func cbLink(c cid.Cid) []byte {
	raw := c.Bytes()
	out := []byte{0xd8, 42}
	if n := len(raw) + 1; n < 24 {
		out = append(out, 0x40|byte(n))
	} else {
		out = append(out, 0x58, byte(n))
	}
	return append(append(out, 0), raw...)
}

// cbArray is a DAG-CBOR array (fewer than 24 items) of encoded items.
func cbArray(items ...[]byte) []byte {
	out := []byte{0x80 | byte(len(items))}
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// cbLinks is a DAG-CBOR array of links.
func cbLinks(cs ...cid.Cid) []byte {
	items := make([][]byte, len(cs))
	for i, c := range cs {
		items[i] = cbLink(c)
	}
	return cbArray(items...)
}

// charge is one gas charge as the trace reports it, in milligas.
type charge struct {
	name  string
	milli int64
}

func (c charge) String() string { return fmt.Sprintf("%s %s", c.name, milliString(c.milli)) }

func milliString(mg int64) string {
	if mg%1000 == 0 {
		return fmt.Sprintf("%d", mg/1000)
	}
	return fmt.Sprintf("%d.%03d", mg/1000, mg%1000)
}

// g is n whole gas in milligas; gm is gas with a fractional part given in
// milligas (gm(801_311_200) = 801,311.2 gas).
func g(name string, n int64) charge      { return charge{name, n * 1000} }
func gm(name string, milli int64) charge { return charge{name, milli} }

// chargeLog records the charges of a message.
type chargeLog struct{ all []charge }

func (l *chargeLog) hooks() *tracing.Hooks {
	return &tracing.Hooks{OnGasCharge: func(c tracing.GasCharge) {
		l.all = append(l.all, charge{c.Name, c.TotalMilli()})
	}}
}

// during returns the charges fn makes.
func (l *chargeLog) during(fn func()) []charge {
	n := len(l.all)
	fn()
	return append([]charge(nil), l.all[n:]...)
}

func wantCharges(t testing.TB, what string, got []charge, want ...charge) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: charges %v, want %v", what, got, want)
	}
}

func total(cs []charge) int64 {
	var s int64
	for _, c := range cs {
		s += c.milli
	}
	return s
}

func wantErr(t testing.TB, what string, err error, n errno.Number) {
	t.Helper()
	if n == 0 {
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
		return
	}
	if got, ok := errno.Of(err); !ok || got != n {
		t.Errorf("%s: error %v, want %v", what, err, n)
	}
}

// reachWorld is a fixture at one network version whose machine logs
// charges.
type reachWorld struct {
	t      *testing.T
	f      *fixture
	log    *chargeLog
	sender abi.ActorID
	m      *Machine // the machine of the last apply
	echo   abi.ActorID
}

func newReachWorld(t *testing.T, nv network.Version) *reachWorld {
	f := newFixture(t, nv)
	w := &reachWorld{t: t, f: f, log: &chargeLog{}}
	w.sender = f.addAccount(secpAddr(t, 1), 1_000_000_000_000_000)
	return w
}

// put stores a block in the client's blockstore (it exists; whether the
// actor may reach it is another matter).
func (w *reachWorld) put(codec uint64, data []byte) cid.Cid {
	c := blake(w.t, codec, data)
	blk, err := blocks.NewBlockWithCid(data, c)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.f.bs.Put(context.Background(), blk); err != nil {
		w.t.Fatal(err)
	}
	return c
}

// setHead points an actor at a state root.
func (w *reachWorld) setHead(id abi.ActorID, head cid.Cid) {
	w.t.Helper()
	a := w.actorState(id)
	a.Head = head
	w.f.setActor(id, a)
}

func (w *reachWorld) actorState(id abi.ActorID) *ActorState {
	w.t.Helper()
	addr := idAddr(id)
	act, found, err := w.f.tree.GetActorV5(addr)
	if err != nil || !found {
		w.t.Fatalf("actor %d: %v", id, err)
	}
	return &ActorState{Code: act.Code, Head: act.Head, Nonce: act.CallSeqNum, Balance: act.Balance}
}

// apply sends one message (method 2 unless msg says otherwise) to actor to
// and returns the receipt.
func (w *reachWorld) apply(to abi.ActorID, params []byte, opts ...Option) *ApplyRet {
	w.t.Helper()
	m := w.f.machine(append([]Option{WithHooks(w.log.hooks())}, opts...)...)
	w.m = m
	msg := baseMsg(idAddr(w.sender), idAddr(to))
	msg.Method = 2
	msg.GasLimit = 100_000_000
	msg.Params = params
	return apply(w.t, m, msg)
}

func mustOK(t testing.TB, ret *ApplyRet) {
	t.Helper()
	if ret.Receipt.ExitCode != 0 {
		t.Fatalf("exit %d: %s", ret.Receipt.ExitCode, ret.FailureInfo)
	}
}

func hasLink(links []cid.Cid, c cid.Cid) bool {
	for _, l := range links {
		if l == c {
			return true
		}
	}
	return false
}
