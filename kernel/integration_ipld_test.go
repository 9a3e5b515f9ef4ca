package kernel_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gofvm/gofvm/actors/testactors"
)

// block_create's 1 MiB cap (fvm-abi.md §3.2 ipld, fvm-gas.md §2.2): in nv18
// a block of 1,048,577 bytes is refused with LimitExceeded before
// OnBlockCreate, so it costs exactly OnBlockCreate(1,048,576) =
// 10 × 1,048,576 = 10,485,760 gas less than the allowed 1 MiB block (the
// tester runs the same instructions for both). nv17 has no cap: 1,048,578
// bytes cost 2 × 10.5 = 21 gas more than 1,048,576. A raw block in nv17 is
// charged before IllegalCodec: again 21 gas for 2 more bytes.
func TestIntegrationBlockCreateLimit(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		nv              int
		codec           uint32
		small, large    uint32
		errSmall, errLg uint32
		diff            int64
	}{
		{18, 0x71, mib, mib + 1, 0, 3, -10_485_760},
		{18, 0x55, mib, mib + 1, 0, 3, -10_485_760},
		{17, 0x71, mib, mib + 2, 0, 0, 21},
		{17, 0x55, mib, mib + 2, 9, 9, 21},
	} {
		nv := bothNVs[c.nv-17]
		w := newWorld(t, nv, compilerEngine)
		gasOf := func(n, wantErr uint32) int64 {
			ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.Tester1ID), testactors.MethodBigBlock, 0,
				testactors.Params{A: n, B: c.codec}.Encode(), 1_000_000_000))
			if ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, testactors.Result(wantErr, 0)) {
				t.Fatalf("nv%d codec %#x len %d: exit %d return %x, want errno %d", c.nv, c.codec, n,
					ret.Receipt.ExitCode, ret.Receipt.Return, wantErr)
			}
			return ret.Receipt.GasUsed
		}
		if d := gasOf(c.large, c.errLg) - gasOf(c.small, c.errSmall); d != c.diff {
			t.Errorf("nv%d codec %#x: gas(%d) − gas(%d) = %d, want %d", c.nv, c.codec, c.large, c.small, d, c.diff)
		}
	}
}

// The IPLD charges of MethodBlocks (create a 4-byte block, link it,
// set_root to it, open it, return it), in order and in milligas, from
// fvm-gas.md §2.1 / §2.2 with n = 4:
//   - nv17: OnBlockCreate 10.5·4 = 42; OnBlockLink 353,640 + 4 + 1,300·4 =
//     358,844; OnBlockOpenBase 135,617; OnBlockOpenPerByte 42;
//     OnChainReturnValue 5,200.
//   - nv18: OnBlockCreate 10·4 = 40; OnBlockLink 506,000 + 3,352.4·4 =
//     519,409.6; set_root's first write of the tester OnActorUpdate 475,000
//     (the receiver is pre-marked read only, fvm-abi.md §6.10);
//     OnBlockOpenBase 187,440; OnBlockOpenPerByte 40; OnChainReturnValue 5,200.
func TestIntegrationBlockCharges(t *testing.T) {
	type ch struct {
		name  string
		milli int64
	}
	keep := map[string]bool{"OnBlockCreate": true, "OnBlockLink": true, "OnBlockRead": true, "OnActorLookup": true,
		"OnActorUpdate": true, "OnBlockOpenBase": true, "OnBlockOpenPerByte": true, "OnChainReturnValue": true}
	for _, nv := range bothNVs {
		want := []ch{{"OnBlockCreate", 42_000}, {"OnBlockLink", 358_844_000}, {"OnBlockOpenBase", 135_617_000},
			{"OnBlockOpenPerByte", 42_000}, {"OnChainReturnValue", 5_200_000}}
		if nv >= 18 {
			want = []ch{{"OnBlockCreate", 40_000}, {"OnBlockLink", 519_409_600}, {"OnActorUpdate", 475_000_000},
				{"OnBlockOpenBase", 187_440_000}, {"OnBlockOpenPerByte", 40_000}, {"OnChainReturnValue", 5_200_000}}
		}
		log, ret := chargeLog(t, nv, testactors.Tester1ID, testactors.MethodBlocks, nil)
		if !bytes.Equal(ret.Receipt.Return, testactors.ReturnABC) {
			t.Fatalf("nv%d: return %x", nv, ret.Receipt.Return)
		}
		var got []ch
		for _, c := range log {
			if keep[c.Name] {
				got = append(got, ch{c.Name, c.TotalMilli()})
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("nv%d: IPLD charges\n got %v\nwant %v", nv, got, want)
		}
	}
}

// OnBlockRead charges the bytes actually copied, n = min(max(size − offset,
// 0), max_len) (fvm-abi.md §3.2 ipld): v2 0.5 gas/byte, v3 0.4. The
// tester's invoke first reads its whole 46-byte params block, then method
// 28 reads again; an IllegalArgument read charges nothing.
func TestIntegrationBlockReadCharge(t *testing.T) {
	for _, nv := range bothNVs {
		perByte := int64(500)
		if nv >= 18 {
			perByte = 400
		}
		for _, c := range []struct{ off, max, n uint32 }{
			{0, 46, 46}, {0, 10, 10}, {40, 10, 6}, {100, 10, 0}, {0x7ffffff0, 0x20, 0},
		} {
			log, ret := chargeLog(t, nv, testactors.Tester1ID, testactors.MethodRead,
				testactors.Params{A: c.off, B: c.max}.Encode())
			if ret.Receipt.ExitCode != 0 {
				t.Fatalf("nv%d: exit %d", nv, ret.Receipt.ExitCode)
			}
			var sum int64
			for _, m := range named(log, "OnBlockRead") {
				sum += m
			}
			if want := (46 + int64(c.n)) * perByte; sum != want {
				t.Errorf("nv%d offset %d max_len %d: OnBlockRead total %d mg, want (46 + %d) × %d = %d", nv, c.off, c.max, sum, c.n, perByte, want)
			}
		}
	}
}

// block_link charges OnBlockLink before writing the CID, so a buffer one
// byte short of the 38-byte CID still pays it (fvm-abi.md §3.2 ipld): nv17
// 353,640 + 4 + 1,300 × 4 = 358,844 gas; nv18 506,000 + 3,352.4 × 4 =
// 519,409.6.
func TestIntegrationBlockLinkSmallBuffer(t *testing.T) {
	for _, nv := range bothNVs {
		want := []int64{358_844_000}
		if nv >= 18 {
			want = []int64{519_409_600}
		}
		log, ret := chargeLog(t, nv, testactors.Tester1ID, testactors.MethodLink,
			testactors.Params{A: 37}.Encode())
		if !bytes.Equal(ret.Receipt.Return, testactors.Result(12, 0)) {
			t.Fatalf("nv%d: return %x, want BufferTooSmall", nv, ret.Receipt.Return)
		}
		if got := named(log, "OnBlockLink"); !equalInts(got, want) {
			t.Errorf("nv%d: OnBlockLink %v, want %v", nv, got, want)
		}
	}
}
