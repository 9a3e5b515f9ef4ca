package kernel_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/ripemd160" //nolint:staticcheck // RIPEMD-160 is a supported hash code (0x1053)
	"golang.org/x/crypto/sha3"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/tracing"
)

// Charge order, seen through the tracing hooks (milligas):
//   - block_open of a raw code block (the tiny module's code, n bytes):
//     nv17 OnBlockOpenBase 135,617 gas then OnBlockOpenPerByte 10.5·n, then
//     IllegalCodec (fvm-abi.md §4.1: after both charges); nv18 187,440 and
//     10·n, and the block opens.
//   - crypto.hash with an unknown code (MethodHostile's 0x9999): nv17 charges
//     OnHashing 31,355 gas before refusing; nv18 validates first and charges
//     nothing (fvm-abi.md §3.2 crypto).
//   - verify_signature with an f0 signer (Alice, an account; plaintext 4
//     bytes): nv17 OnVerifySignature 1,637,292 then the account state read,
//     OnBlockOpenBase 135,617 + OnBlockOpenPerByte 10.5 × 23 = 241.5 (the
//     state is [f1 address] = 0x81 ‖ 0x55 ‖ 21 bytes); nv18 charges
//     1,637,292 + 10 × 4 = 1,637,332 and refuses the signer (IllegalArgument)
//     without opening anything.
func TestIntegrationChargeOrder(t *testing.T) {
	for _, nv := range bothNVs {
		v3 := nv >= 18
		w := newWorld(t, nv, compilerEngine)
		t.Run(fmt.Sprintf("nv%d/block-open-raw", nv), func(t *testing.T) {
			n := int64(len(w.g.Bundle.Block(w.g.Bundle.Codes[testactors.Tiny])))
			log, ret := chargeLog(t, w.nv, testactors.Tester1ID, testactors.MethodOpenCode,
				testactors.Params{A: uint32(testactors.TinyID)}.Encode())
			base, perByte, want := int64(135_617_000), 10_500*n, testactors.Result(9, 0)
			if v3 {
				base, perByte, want = 187_440_000, 10_000*n, testactors.Result(0, uint32(n))
			}
			if !bytes.Equal(ret.Receipt.Return, want) {
				t.Fatalf("return %x, want %x", ret.Receipt.Return, want)
			}
			i := indexOf(log, "OnBlockOpenBase")
			if i < 0 || i+1 >= len(log) || log[i].TotalMilli() != base || log[i+1].Name != "OnBlockOpenPerByte" ||
				log[i+1].TotalMilli() != perByte {
				t.Errorf("charges around block_open: %v; want OnBlockOpenBase %d then OnBlockOpenPerByte %d", around(log, i), base, perByte)
			}
		})
		t.Run(fmt.Sprintf("nv%d/hash-unknown-code", nv), func(t *testing.T) {
			log, ret := chargeLog(t, w.nv, testactors.Tester1ID, testactors.MethodHostile, nil)
			if !bytes.Equal(ret.Receipt.Return, testactors.HostileErrnos(nv)) {
				t.Fatalf("return %x", ret.Receipt.Return)
			}
			want := []int64{31_355_000}
			if v3 {
				want = nil
			}
			if got := named(log, "OnHashing"); !equalInts(got, want) {
				t.Errorf("OnHashing charges %v, want %v", got, want)
			}
		})
		t.Run(fmt.Sprintf("nv%d/verify-signature-f0", nv), func(t *testing.T) {
			log, ret := chargeLog(t, w.nv, testactors.Tester1ID, testactors.MethodVerify,
				testactors.Params{B: 1, To: idAddr(testactors.AliceID)}.Encode())
			want, sig := testactors.Result(0, 0xffffffff), int64(1_637_292_000)
			if v3 {
				want, sig = testactors.Result(1, 0), 1_637_332_000
			}
			if !bytes.Equal(ret.Receipt.Return, want) {
				t.Fatalf("return %x, want %x", ret.Receipt.Return, want)
			}
			i := indexOf(log, "OnVerifySignature")
			if i < 0 || log[i].TotalMilli() != sig {
				t.Fatalf("charges: %v; want OnVerifySignature %d", around(log, i), sig)
			}
			if v3 {
				if named(log, "OnBlockOpenBase") != nil {
					t.Errorf("nv18 opened a block for an f0 signer: %v", log)
				}
				return
			}
			if i+2 >= len(log) || log[i+1].Name != "OnBlockOpenBase" || log[i+1].TotalMilli() != 135_617_000 ||
				log[i+2].Name != "OnBlockOpenPerByte" || log[i+2].TotalMilli() != 241_500 {
				t.Errorf("charges after OnVerifySignature: %v; want OnBlockOpenBase 135,617,000 then OnBlockOpenPerByte 241,500", around(log, i))
			}
		})
	}
}

// randExterns serves chain digests: 32 bytes of the epoch's low byte, and
// an error for epoch 13.
type randExterns struct{ tipsetExterns }

func (randExterns) ChainDigest(e abi.ChainEpoch) ([32]byte, error) {
	if e == 13 {
		return [32]byte{}, errors.New("no ticket")
	}
	var d [32]byte
	for i := range d {
		d[i] = byte(e)
	}
	return d, nil
}

// rand.get_chain_randomness through the full kernel (fvm-abi.md §3.2 rand,
// fvm-gas.md §2): the answer is blake2b-256(tag i64be ‖ digest ‖ epoch i64be
// ‖ entropy), computed here with x/crypto's blake2b; OnGetRandomness is
// 21,000 gas in nv17 and 21,000 + 10 × (4 + 48) = 21,520 in nv18, charged
// before the extern, whose error is IllegalArgument (1).
func TestIntegrationChainRandomness(t *testing.T) {
	for _, nv := range bothNVs {
		charge := int64(21_000_000)
		if nv >= 18 {
			charge = 21_520_000
		}
		var log []tracing.GasCharge
		w := newWorld(t, nv, compilerEngine, kernel.WithExterns(randExterns{}), kernel.WithHooks(&tracing.Hooks{
			OnGasCharge: func(c tracing.GasCharge) { log = append(log, c) },
		}))
		var in []byte
		in = binary.BigEndian.AppendUint64(in, 7)
		in = append(in, bytes.Repeat([]byte{byte(999 % 256)}, 32)...)
		in = binary.BigEndian.AppendUint64(in, 999)
		in = append(in, testactors.ReturnABC...)
		sum := blake2b.Sum256(in)
		want := append([]byte{0x58, 0x20}, sum[:]...)
		for _, c := range []struct {
			epoch uint32
			want  []byte
		}{{999, want}, {13, testactors.Result(1, 0)}} {
			log = log[:0]
			ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.Tester1ID), testactors.MethodRandomness, 0,
				testactors.Params{A: 7, B: c.epoch}.Encode(), 100_000_000))
			if ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, c.want) {
				t.Errorf("nv%d epoch %d: exit %d return %x, want %x; %s", nv, c.epoch, ret.Receipt.ExitCode, ret.Receipt.Return, c.want, ret.FailureInfo)
			}
			if got := named(log, "OnGetRandomness"); !equalInts(got, []int64{charge}) {
				t.Errorf("nv%d epoch %d: OnGetRandomness %v, want [%d]", nv, c.epoch, got, charge)
			}
		}
	}
}

// crypto.hash through the full kernel (fvm-abi.md §3.2 crypto, fvm-gas.md
// §2): each supported code hashes "cabc" (0x63 0x61 0x62 0x63) with the
// published algorithm, the digest truncated to the buffer; OnHashing is a
// flat 31,355 gas in nv17 (also for an unknown code, charged first) and
// per byte in nv18 (sha2-256 7, blake2b 10, keccak-256 33, ripemd-160 35,
// × 4 bytes; nothing for an unknown code, validated first).
func TestIntegrationHash(t *testing.T) {
	data := testactors.ReturnABC
	sha := sha256.Sum256(data)
	b256 := blake2b.Sum256(data)
	b512 := blake2b.Sum512(data)
	kh := sha3.NewLegacyKeccak256()
	kh.Write(data)
	rh := ripemd160.New()
	rh.Write(data)
	digest := func(d []byte) []byte { return append([]byte{0x58, byte(len(d))}, d...) }
	for _, nv := range bothNVs {
		for _, c := range []struct {
			code, buf uint32
			want      []byte
			v3Gas     int64
		}{
			{0x12, 32, digest(sha[:]), 28},
			{0x12, 16, digest(sha[:16]), 28},
			{0xb220, 32, digest(b256[:]), 40},
			{0xb240, 64, digest(b512[:]), 40},
			{0x1b, 32, digest(kh.Sum(nil)), 132},
			{0x1053, 32, digest(rh.Sum(nil)), 140},
			{0x9999, 32, testactors.Result(1, 0), 0},
		} {
			log, ret := chargeLog(t, nv, testactors.Tester1ID, testactors.MethodHash,
				testactors.Params{A: c.code, B: c.buf}.Encode())
			if ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, c.want) {
				t.Errorf("nv%d code %#x: exit %d return %x, want %x", nv, c.code, ret.Receipt.ExitCode, ret.Receipt.Return, c.want)
			}
			want := []int64{31_355_000}
			if nv >= 18 {
				want = nil
				if c.v3Gas != 0 {
					want = []int64{c.v3Gas * 1000}
				}
			}
			if got := named(log, "OnHashing"); !equalInts(got, want) {
				t.Errorf("nv%d code %#x: OnHashing %v, want %v", nv, c.code, got, want)
			}
		}
	}
}
