package kernel

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/syscalls"
)

// FuzzHostileActor lets an actor drive the kernel with arbitrary arguments
// (what the syscalls layer passes after parsing): sends to any address with
// any value, method, flags and gas limit; blocks of any codec; opens of any
// CID; roots set to anything. The kernel must answer with results or
// errors, never panic, and the message must end in a receipt.
func FuzzHostileActor(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, false)
	f.Add([]byte("\x00\x64\x02\x00\x00\x00\x00\x00\x00\x00\x01"), true)
	f.Fuzz(func(t *testing.T, data []byte, v3 bool) {
		nv := network.Version17
		if v3 {
			nv = network.Version18
		}
		fx := newFixture(t, nv)
		sender := secpAddr(t, 1)
		fx.addAccount(sender, 1_000_000_000_000_000)
		var self abi.ActorID
		self = fx.addActor("hostile", 1_000_000, func(k *invocationKernel, _ uint32) Outcome {
			d := data
			next := func(n int) []byte {
				if len(d) < n {
					n = len(d)
				}
				b := d[:n]
				d = d[n:]
				return b
			}
			u64 := func() uint64 {
				var b [8]byte
				copy(b[:], next(8))
				return binary.LittleEndian.Uint64(b[:])
			}
			for len(d) > 0 {
				switch next(1)[0] % 8 {
				case 0:
					if a, err := address.NewFromBytes(next(int(u64() % 70))); err == nil {
						lim := u64()
						var gl *uint64
						if lim%2 == 0 {
							gl = &lim
						}
						_, _ = k.Send(context.Background(), a, abi.MethodNum(u64()%4), uint32(u64()%3),
							big.NewInt(int64(u64()%2000)), gl, syscalls.SendFlags(u64()%3))
					}
				case 1:
					_, _ = k.BlockCreate(u64()%0x100, next(int(u64()%64)))
				case 2:
					if _, c, err := cid.CidFromBytes(next(int(u64() % 80))); err == nil {
						_, _, _ = k.BlockOpen(c)
						_ = k.SetRoot(c)
					}
				case 3:
					buf := make([]byte, u64()%64)
					_, _ = k.BlockRead(uint32(u64()%4), uint32(u64()%128), buf)
					_, _ = k.BlockLink(uint32(u64()%4), u64()%0xb300, uint32(u64()%40))
				case 4:
					_, _ = k.GetActorCodeCid(abi.ActorID(u64() % 200))
					_, _ = k.GetCodeCidForType(int32(u64()%40) - 5)
				case 5:
					_ = k.CreateActor(fx.codes["multisig"], abi.ActorID(u64()%300), nil)
				case 6:
					_ = k.ChargeGas("fuzz", int64(u64()%100_000))
				case 7:
					if a, err := address.NewFromBytes(next(int(u64() % 30))); err == nil && u64()%4 == 0 {
						_ = k.SelfDestruct(a)
					}
				}
			}
			return Outcome{Kind: Returned}
		})
		m := fx.machine()
		msg := baseMsg(sender, idAddr(self))
		msg.Method = 2
		msg.GasLimit = 100_000_000
		if _, err := NewExecutor(m).ApplyMessage(context.Background(), msg, chainLen); err != nil {
			t.Fatalf("client error from a hostile actor: %v", err)
		}
		if _, err := m.Flush(context.Background()); err != nil {
			t.Fatalf("flush: %v", err)
		}
	})
}
