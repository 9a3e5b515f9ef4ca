package kernel

import (
	"context"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/syscalls"
)

// BenchmarkApplyMethodZero applies value transfers on one machine: the
// executor, preflight, gas outputs and state-tree cache without wasm.
func BenchmarkApplyMethodZero(b *testing.B) {
	for _, nv := range bothVersions {
		b.Run(fmt.Sprintf("nv%d", nv), func(b *testing.B) {
			f := newFixture(b, nv)
			sender := secpAddr(b, 1)
			f.addAccount(sender, 1_000_000_000_000_000)
			rid := f.addAccount(secpAddr(b, 2), 0)
			m := f.machine()
			e := NewExecutor(m)
			msg := baseMsg(sender, idAddr(rid))
			msg.GasLimit = 2_000_000
			msg.Value = big.NewInt(1)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				msg.Nonce = uint64(i)
				ret, err := e.ApplyMessage(context.Background(), msg, chainLen)
				if err != nil || ret.Receipt.ExitCode != 0 {
					b.Fatalf("%v %+v", err, ret)
				}
			}
		})
	}
}

// BenchmarkApplyNestedCalls measures the call manager: a Go actor that
// sends to a second one, per message.
func BenchmarkApplyNestedCalls(b *testing.B) {
	f := newFixture(b, 18)
	sender := secpAddr(b, 1)
	f.addAccount(sender, 1_000_000_000_000_000)
	leaf := f.addActor("leaf", 0, func(*invocationKernel, uint32) Outcome { return Outcome{Kind: Returned} })
	top := f.addActor("top", 0, func(k *invocationKernel, _ uint32) Outcome {
		if _, err := k.Send(context.Background(), idAddr(leaf), 2, 0, big.Zero(), nil, 0); err != nil {
			return Outcome{Kind: Fatal, Err: err}
		}
		return Outcome{Kind: Returned}
	})
	m := f.machine()
	e := NewExecutor(m)
	msg := baseMsg(sender, idAddr(top))
	msg.Method = 2
	msg.GasLimit = 10_000_000
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		msg.Nonce = uint64(i)
		if ret, err := e.ApplyMessage(context.Background(), msg, chainLen); err != nil || ret.Receipt.ExitCode != 0 {
			b.Fatalf("%v %+v", err, ret)
		}
	}
}

// reachBenchCases are the machines the FIP-0071 benchmarks compare: nv20
// without checks (the reference), nv20 with gofvm's strict option, and nv21
// where the link scan is consensus and charged.
var reachBenchCases = []struct {
	name string
	nv   network.Version
	opts []Option
}{
	{"nv20-compat", network.Version20, nil},
	{"nv20-strict", network.Version20, []Option{WithReachability(ReachabilityStrict)}},
	{"nv21", network.Version21, nil},
}

// hamtLikeNode is shaped like a full actors-HAMT node: a bitfield and 32
// links (1,388 bytes).
func hamtLikeNode(b *testing.B) ([]byte, []cid.Cid) {
	var cs []cid.Cid
	var items [][]byte
	for i := 0; i < 32; i++ {
		c := blake(b, 0x71, []byte{byte(i)})
		cs = append(cs, c)
		items = append(items, cbLink(c))
	}
	list := append([]byte{0x98, 32}, cbArray(items...)[1:]...)
	return cbArray([]byte{0x44, 0xff, 0xff, 0xff, 0xff}, list), cs
}

// benchInActor runs body inside one invocation of a Go actor whose state root
// is data, with the benchmark timer reset at its start.
func benchInActor(b *testing.B, nv network.Version, opts []Option, data []byte, body func(k *invocationKernel, root cid.Cid)) {
	f := newFixture(b, nv)
	sender := secpAddr(b, 1)
	f.addAccount(sender, 1_000_000_000_000_000)
	ran := false
	id := f.addActor("bench", 0, func(k *invocationKernel, _ uint32) Outcome {
		root, err := k.Root()
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := k.BlockOpen(root); err != nil { // its links become reachable
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		body(k, root)
		b.StopTimer()
		ran = true
		return Outcome{Kind: Returned}
	})
	c := blake(b, 0x71, data)
	blk, _ := newBlockWithCid(data, c)
	_ = f.bs.Put(context.Background(), blk)
	a := &ActorState{Code: codeCID(b, fmt.Sprintf("bench-%d", len(f.engine.actors)-1)), Head: c, Balance: big.Zero()}
	f.setActor(id, a)
	m := f.machine(opts...)
	msg := baseMsg(sender, idAddr(id))
	msg.Method, msg.GasLimit, msg.GasFeeCap, msg.GasPremium = 2, 1_000_000_000_000, big.NewInt(100), big.Zero()
	ret, err := NewExecutor(m).ApplyMessage(context.Background(), msg, chainLen)
	if err != nil || ret.Receipt.ExitCode != 0 || !ran {
		b.Fatalf("%v %+v", err, ret)
	}
}

// BenchmarkBlockOpenLinks is block_open of a 32-link HAMT-shaped node: at
// nv21 one metered scan and one link list per open.
func BenchmarkBlockOpenLinks(b *testing.B) {
	data, _ := hamtLikeNode(b)
	for _, bc := range reachBenchCases {
		b.Run(bc.name, func(b *testing.B) {
			benchInActor(b, bc.nv, bc.opts, data, func(k *invocationKernel, root cid.Cid) {
				b.SetBytes(int64(len(data)))
				for i := 0; i < b.N; i++ {
					if _, _, err := k.BlockOpen(root); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkBlockCreateLinks is block_create of the same node, every link
// reachable: at nv21 the scan, the link list and the membership checks.
func BenchmarkBlockCreateLinks(b *testing.B) {
	data, _ := hamtLikeNode(b)
	for _, bc := range reachBenchCases {
		b.Run(bc.name, func(b *testing.B) {
			benchInActor(b, bc.nv, bc.opts, data, func(k *invocationKernel, _ cid.Cid) {
				b.SetBytes(int64(len(data)))
				for i := 0; i < b.N; i++ {
					if _, err := k.BlockCreate(0x71, data); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkPackedEvent checks an ERC-20 Transfer-shaped FIP-0072 event
// (four entries, keys t1 t2 t3 d, 128 value bytes; fvm-gas-next.md §10
// example 2): the per-event work of emit_event after its charge.
func BenchmarkPackedEvent(b *testing.B) {
	headers := []syscalls.EventEntry{{Flags: 3, Codec: 0x55, KeyLen: 2, ValueLen: 32}, {Flags: 3, Codec: 0x55, KeyLen: 2, ValueLen: 32},
		{Flags: 3, Codec: 0x55, KeyLen: 2, ValueLen: 32}, {Flags: 3, Codec: 0x55, KeyLen: 1, ValueLen: 32}}
	keys, values := []byte("t1t2t3d"), make([]byte, 128)
	b.ReportAllocs()
	for b.Loop() {
		entries, err := packedEvent(headers, keys, values, true)
		if err != nil {
			b.Fatal(err)
		}
		_ = encodeStampedEvent(1000, entries)
	}
}
