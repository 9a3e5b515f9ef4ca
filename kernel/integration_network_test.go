package kernel_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/tracing"
)

// gas.available (nv18) answers the remaining gas after its own OnSyscall,
// rounded down (fvm-abi.md §3.2 gas). The avail module's 92 gas of exec are
// all charged before the call, so at that point, for L = 120 and a limit of
// 10,000,000: used = inclusion 560,663 + 1,300 × 120 + OnMethodInvocation
// 75,000 + memory init 26,214.4 + 92 + OnSyscall 14,000 = 831,969.4, and
// available = 9,168,030.6 → 9,168,030 (rounding up would say 9,168,031).
func TestIntegrationGasAvailable(t *testing.T) {
	w := newWorld(t, bothNVs[1], compilerEngine)
	ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.AvailID), 2, 0, nil, 10_000_000))
	want := []byte{0x48, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.LittleEndian.PutUint64(want[1:], 9_168_030)
	if ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, want) {
		t.Fatalf("exit %d return %x, want 0 and %x; %s", ret.Receipt.ExitCode, ret.Receipt.Return, want, ret.FailureInfo)
	}
	// Then OnSyscall 14,000 + OnBlockCreate 90 + OnChainReturnValue 11,700:
	// 857,759.4 → 857,760.
	if ret.Receipt.GasUsed != 857_760 {
		t.Errorf("gas_used %d, want 857,760", ret.Receipt.GasUsed)
	}
}

// tipsetExterns answers every tipset_cid with one CID (38 bytes: CIDv1,
// DAG-CBOR, blake2b-256); randomness and consensus faults are not used.
type tipsetExterns struct{ c cid.Cid }

func (e tipsetExterns) ChainDigest(abi.ChainEpoch) ([32]byte, error) {
	return [32]byte{}, errors.New("not used")
}
func (e tipsetExterns) BeaconDigest(abi.ChainEpoch) ([32]byte, error) {
	return [32]byte{}, errors.New("not used")
}
func (e tipsetExterns) TipsetCid(abi.ChainEpoch) (cid.Cid, error) { return e.c, nil }
func (e tipsetExterns) VerifyConsensusFault(_, _, _ []byte) (*fvmcrypto.Fault, error) {
	return nil, errors.New("not used")
}

// network.tipset_cid (nv18) at epoch 1000 through the full kernel
// (fvm-abi.md §3.2 network, fvm-gas.md §2.2 OnTipsetCid): the output slice
// is checked first, then epoch < 0, offset ≤ 0 and offset ≥ 900, all
// IllegalArgument (1) with no OnTipsetCid charge; then the charge (offset 1:
// 50,000 gas; more: 215,000), the extern, and BufferTooSmall (12) for a
// buffer shorter than the 38-byte CID, after the charge.
func TestIntegrationTipsetCid(t *testing.T) {
	c, err := cid.V1Builder{Codec: cid.DagCBOR, MhType: multihash.BLAKE2B_MIN + 31}.Sum([]byte("tipset"))
	if err != nil {
		t.Fatal(err)
	}
	var log []tracing.GasCharge
	w := newWorld(t, bothNVs[1], compilerEngine, kernel.WithExterns(tipsetExterns{c}), kernel.WithHooks(&tracing.Hooks{
		OnGasCharge: func(c tracing.GasCharge) { log = append(log, c) },
	}))
	for _, tc := range []struct {
		epoch  int32
		buf    uint32
		errno  uint32
		n      uint32
		charge []int64 // OnTipsetCid charges, milligas
	}{
		{999, 100, 0, 38, []int64{50_000_000}},
		{998, 100, 0, 38, []int64{215_000_000}},
		{101, 100, 0, 38, []int64{215_000_000}}, // offset 899
		{100, 100, 1, 0, nil},                   // offset 900 = finality
		{1000, 100, 1, 0, nil},                  // current epoch
		{1001, 100, 1, 0, nil},                  // future
		{-1, 100, 1, 0, nil},                    // negative
		{999, 0x7fffffff, 1, 0, nil},            // output out of bounds, checked before the epoch
		{-1, 0x7fffffff, 1, 0, nil},
		{999, 10, 12, 0, []int64{50_000_000}}, // too small: after the charge
	} {
		log = log[:0]
		p := testactors.Params{A: uint32(tc.epoch), B: tc.buf}
		ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.Tester1ID), testactors.MethodTipsetCid, 0, p.Encode(), 100_000_000))
		if want := testactors.Result(tc.errno, tc.n); ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, want) {
			t.Errorf("epoch %d buffer %d: exit %d return %x, want 0 and %x; %s", tc.epoch, tc.buf, ret.Receipt.ExitCode,
				ret.Receipt.Return, want, ret.FailureInfo)
		}
		if got := named(log, "OnTipsetCid"); !equalInts(got, tc.charge) {
			t.Errorf("epoch %d buffer %d: OnTipsetCid charges %v, want %v", tc.epoch, tc.buf, got, tc.charge)
		}
	}
}

// The client-supplied network values reach the actor unchanged (fvm-abi.md
// §1.5, §3.2 network): the worlds run at epoch 1000, timestamp 30,000, base
// fee 100 and circulating supply 10^18; this one sets chain id 31,415.
// nv17: base_fee ‖ total_fil_circ_supply as TokenAmounts (lo, hi); nv18:
// NetworkContext {epoch, timestamp, base fee lo/hi, chain id, version 18}
// ‖ circulating supply.
func TestIntegrationNetworkValues(t *testing.T) {
	for _, nv := range bothNVs {
		w := newWorld(t, nv, compilerEngine, kernel.WithChainID(31_415))
		ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.Tester1ID), testactors.MethodNetwork, 0, nil, 100_000_000))
		var b []byte
		u64 := func(x uint64) { b = binary.LittleEndian.AppendUint64(b, x) }
		if nv >= 18 {
			u64(1000)
			u64(30_000)
			u64(100)
			u64(0)
			u64(31_415)
			b = binary.LittleEndian.AppendUint32(b, 18)
		} else {
			u64(100)
			u64(0)
		}
		u64(1e18)
		u64(0)
		want := append([]byte{0x58, byte(len(b))}, b...)
		if ret.Receipt.ExitCode != 0 || !bytes.Equal(ret.Receipt.Return, want) {
			t.Errorf("nv%d: exit %d return %x, want %x", nv, ret.Receipt.ExitCode, ret.Receipt.Return, want)
		}
	}
}
