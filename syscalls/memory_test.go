package syscalls

import (
	"math/big"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/kernel/errno"
)

// TestReadCIDShapes: binary CIDs accepted and rejected by the reference's
// parser (rust cid 0.8 Cid::read_bytes, fvm-abi.md §1.4), read by block_open.
func TestReadCIDShapes(t *testing.T) {
	for _, c := range []struct {
		name string
		hex  string
		ok   bool
	}{
		{"v1_empty_digest", "01551200", true},
		{"v1_codec_9_byte_varint", "01ffffffffffffffff7f1200", true},
		{"v1_codec_non_minimal", "0180001200", false},
		{"v1_digest_len_non_minimal", "0155128000", false},
		{"v1_missing_digest_byte", "0155120201", false},
		{"v1_no_multihash", "0155", false},
		{"v0_short", "1220" + "00", false},
		{"empty", "", false},
		{"version_3", "03551200", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, 0, network.Version18)
			b := unhex(t, c.hex)
			off := uint32(memSize - len(b)) // at the very end: no trailing bytes to lean on
			h.write(off, b)
			r, out := h.call("ipld.block_open", R, uint64(off))
			if out.Kind != Returned {
				t.Fatalf("outcome %v %v", out.Kind, out.Err)
			}
			if (r == 0) != c.ok || (!c.ok && errno.Number(r) != errno.IllegalArgument) {
				t.Fatalf("result %v, want ok=%v", errno.Number(r), c.ok)
			}
		})
	}
}

// TestTokenAmountBounds: amounts above u128 or negative are fatal (the
// reference's `try_into` … `or_fatal`); 2^128 − 1 is the largest written.
func TestTokenAmountBounds(t *testing.T) {
	max := tokenHL(^uint64(0), ^uint64(0))
	over := new(big.Int).Lsh(big.NewInt(1), 128)
	for _, c := range []struct {
		name string
		v    abi.TokenAmount
		kind OutcomeKind
	}{
		{"max", max, Returned},
		{"zero_nil", abi.TokenAmount{}, Returned},
		{"over", abi.TokenAmount{Int: over}, Fatal},
		{"negative", abi.NewTokenAmount(-1), Fatal},
	} {
		forEngines(t, func(t *testing.T, engine int) {
			for _, fn := range []string{"self.current_balance", "network.total_fil_circ_supply", "actor.balance_of"} {
				h := newHarness(t, engine, network.Version18)
				h.k.token = c.v
				args := []uint64{R}
				if fn == "actor.balance_of" {
					args = append(args, 1)
				}
				_, out := h.call(fn, args...)
				if out.Kind != c.kind {
					t.Fatalf("%s %s: %v %v", c.name, fn, out.Kind, out.Err)
				}
			}
			h := newHarness(t, engine, network.Version18)
			h.k.msgCtx.ValueReceived = c.v
			h.k.msgCtx.GasPremium = abi.NewTokenAmount(0)
			if _, out := h.call("vm.message_context", R); out.Kind != c.kind {
				t.Fatalf("%s message_context: %v", c.name, out.Kind)
			}
			h = newHarness(t, engine, network.Version17)
			h.k.invCtx.ValueReceived = c.v
			if _, out := h.call("vm.context", R); out.Kind != c.kind {
				t.Fatalf("%s context: %v", c.name, out.Kind)
			}
		})
	}
}
