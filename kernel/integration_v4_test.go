package kernel_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/tracing"
)

// The FVM v4 syscalls through the full kernel, on both engines, driven by
// the probe test actor (actors/testactors/wat/probe_v4.wat): each case is
// one message whose probe makes one syscall; expected values are the
// scenarios of fvm-abi-next.md §14 and the worked examples of
// fvm-gas-next.md §10.

// v4Run is one probe message: its receipt, the probe's error number and
// output area, and the charges, in order.
type v4Run struct {
	ret   *kernel.ApplyRet
	errno uint32
	out   []byte
	log   []tracing.GasCharge
	w     *world
}

// probe applies one probe message at nv on engine k (Alice → the probe,
// method 2, gas limit 3·10^9 unless limit ≠ 0), with the scenario externs
// and the vector runner's trusting proof verifier unless opts say
// otherwise.
func probe(t *testing.T, nv network.Version, k engineKind, params []byte, limit int64, opts ...kernel.Option) *v4Run {
	t.Helper()
	r := &v4Run{}
	opts = append([]kernel.Option{kernel.WithExterns(testactors.Externs{}),
		kernel.WithProofVerifier(fvmcrypto.TrustAllProofsForConformanceVectorsOnly()), kernel.WithHooks(&tracing.Hooks{
			OnGasCharge: func(c tracing.GasCharge) { r.log = append(r.log, c) },
		})}, opts...)
	r.w = newWorld(t, nv, k, opts...)
	if limit == 0 {
		limit = testactors.GasLimit
	}
	r.ret = r.w.apply(r.w.msg(r.w.g.Alice, idAddr(testactors.ProbeID), 2, 0, params, limit))
	r.errno, r.out = testactors.ProbeResult(r.ret.Receipt.Return)
	return r
}

// onEngines runs f on both engines.
func onEngines(t *testing.T, f func(t *testing.T, k engineKind)) {
	for _, k := range engineKinds {
		t.Run(string(k), func(t *testing.T) { f(t, k) })
	}
}

// packedEntry is one 24-byte FIP-0072 entry header (fvm-abi-next.md §1.3).
func packedEntry(flags, codec uint64, keyLen, valLen uint32) []byte {
	b := binary.LittleEndian.AppendUint64(nil, flags)
	b = binary.LittleEndian.AppendUint64(b, codec)
	b = binary.LittleEndian.AppendUint32(b, keyLen)
	return binary.LittleEndian.AppendUint32(b, valLen)
}

// eventProbe is the probe's emit_event of the given headers, keys and values
// (laid out one after the other in the params data).
func eventProbe(headers [][]byte, keys, values []byte) []byte {
	var data []byte
	for _, h := range headers {
		data = append(data, h...)
	}
	keyOff := uint64(testactors.ProbeData + len(data))
	data = append(data, keys...)
	valOff := uint64(testactors.ProbeData + len(data))
	data = append(data, values...)
	return testactors.ProbeParams(testactors.ProbeEmitEvent, data,
		testactors.ProbeData, uint64(len(headers)), keyOff, uint64(len(keys)), valOff, uint64(len(values)))
}

// onActorEvent is the FIP-0072 charge worked by hand (fvm-gas-next.md §4.1),
// in milligas: 17.2·S + 2,500 + 1,400·E + 16·K with S = 12 + 9E + K + V.
func onActorEvent(e, k, v int64) int64 {
	s := 12 + 9*e + k + v
	return 17_200*s + 2_500_000 + 1_400_000*e + 16_000*k
}

// fvm-abi-next.md §14 scenarios 1–8 and fvm-gas-next.md §10 examples 1, 2,
// 4, 5: one OnActorEvent on the buffer lengths before any check, then the
// checks in the order of §5.2. The sheet's own figures are asserted where it
// gives them (examples 1, 2, 4, 5; scenario 7); the others follow its formula.
func TestV4EmitEvent(t *testing.T) {
	key := func(n int) []byte { return bytes.Repeat([]byte{'k'}, n) }
	many := func(n int, keyLen, valLen uint32) [][]byte {
		out := make([][]byte, n)
		for i := range out {
			out[i] = packedEntry(0, 0x55, keyLen, valLen)
		}
		return out
	}
	for _, c := range []struct {
		name          string
		headers       [][]byte
		keys, values  []byte
		errno         uint32
		charge        int64 // milligas
		sheet         int64 // the sheet's figure, when it gives one
		source        string
		recordedEntry int // entries of the recorded event, −1 for none
	}{
		{"hollow", nil, nil, nil, 0, onActorEvent(0, 0, 0), 2_706_400, "example 1 and scenario 8: E = K = V = 0", 0},
		{"scenario-7", many(1, 1, 32), key(1), bytes.Repeat([]byte{1}, 32), 0, onActorEvent(1, 1, 32), 4_844_800, "scenario 7", 1},
		{"256-entries", many(256, 1, 1), key(256), bytes.Repeat([]byte{1}, 256), 3, onActorEvent(256, 256, 256), 413_637_600,
			"example 4, scenario 1: charged, then LimitExceeded", -1},
		{"largest", append(many(254, 31, 0), packedEntry(0, 0x55, 31, 8192)), key(255 * 31), make([]byte, 8192), 0,
			onActorEvent(255, 7905, 8192), 802_528_800, "example 5: 255 keys of 31 bytes, 8,192 value bytes", 255},
		// Example 2: an EVM LOG3 with 32 bytes of data, keys t1 t2 t3 d.
		{"erc20-transfer", [][]byte{packedEntry(3, 0x55, 2, 32), packedEntry(3, 0x55, 2, 32), packedEntry(3, 0x55, 2, 32),
			packedEntry(3, 0x55, 1, 32)}, []byte("t1t2t3d"), make([]byte, 128), 0, onActorEvent(4, 7, 128), 11_359_600,
			"example 2", 4},
		{"value-8193", many(1, 1, 8193), key(1), make([]byte, 8193), 3, onActorEvent(1, 1, 8193), 0,
			"scenario 5: the value buffer is checked before the entries", -1},
		{"key-32", many(1, 32, 1), key(32), []byte{1}, 3, onActorEvent(1, 32, 1), 0, "scenario 2", -1},
		{"key-31", many(1, 31, 1), key(31), []byte{1}, 0, onActorEvent(1, 31, 1), 0, "scenario 2", 1},
		{"flags-4", [][]byte{packedEntry(4, 0x55, 1, 1)}, key(1), []byte{1}, 1, onActorEvent(1, 1, 1), 0, "scenario 3", -1},
		{"codec-cbor", [][]byte{packedEntry(3, 0x51, 1, 1)}, key(1), []byte{1}, 0, onActorEvent(1, 1, 1), 0, "scenario 4 (4.1.2)", 1},
		{"codec-dagcbor", [][]byte{packedEntry(3, 0x71, 1, 1)}, key(1), []byte{1}, 9, onActorEvent(1, 1, 1), 0, "scenario 4", -1},
		{"key-buffer-longer", many(1, 3, 0), key(4), nil, 1, onActorEvent(1, 4, 0), 0, "scenario 6: a key buffer of 4 bytes for key_len 3", -1},
		{"key-split", many(2, 1, 0), []byte("é"), nil, 1, onActorEvent(2, 2, 0), 0, "scenario 6: \"é\" split in two", -1},
		{"keys-not-utf8", many(1, 1, 0), []byte{0xff}, nil, 1, onActorEvent(1, 1, 0), 0, "§5.2 step 5", -1},
		{"value-out-of-range", many(1, 1, 2), key(1), []byte{1}, 1, onActorEvent(1, 1, 1), 0, "§5.2 step 6e", -1},
		{"value-over-8192", many(1, 1, 8193), key(1), nil, 1, onActorEvent(1, 1, 0), 0, "§5.2 step 6c: an entry value length > 8,192", -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.sheet != 0 && c.charge != c.sheet {
				t.Fatalf("the formula gives %d, the sheet %d", c.charge, c.sheet)
			}
			onEngines(t, func(t *testing.T, k engineKind) {
				r := probe(t, network.Version21, k, eventProbe(c.headers, c.keys, c.values), 0)
				if r.ret.Receipt.ExitCode != 0 || r.errno != c.errno {
					t.Fatalf("exit %d errno %d, want 0 and %d (%s); %s", r.ret.Receipt.ExitCode, r.errno, c.errno, c.source, r.ret.FailureInfo)
				}
				if got := named(r.log, "OnActorEvent"); !equalInts(got, []int64{c.charge}) {
					t.Errorf("OnActorEvent %v, want [%d]", got, c.charge)
				}
				if c.recordedEntry < 0 {
					if r.ret.Receipt.EventsRoot != nil || len(r.ret.Events) != 0 {
						t.Errorf("events recorded after errno %d", r.errno)
					}
					return
				}
				if len(r.ret.Events) != 1 {
					t.Fatalf("%d events recorded, want 1", len(r.ret.Events))
				}
			})
		})
	}
}

// fvm-abi-next.md §14 scenario 8 and §5.4: an event without entries is
// recorded, and the receipt's events root is the AMT (v3 format, bit width
// 5) of its one StampedEvent [emitter, []]. The expected root is built by
// hand: the node [bitmap 01 00 00 00, [], [[80, []]]] inside the root
// [5, 0, 1, node], DAG-CBOR, blake2b-256 (chain.md §1.12).
func TestV4EventsRootOfHollowEvent(t *testing.T) {
	stamped := []byte{0x82, 0x18, byte(testactors.ProbeID), 0x80} // [80, []]
	node := append([]byte{0x83, 0x44, 0x01, 0x00, 0x00, 0x00, 0x80, 0x81}, stamped...)
	root := append([]byte{0x84, 0x05, 0x00, 0x01}, node...)
	want, err := cid.V1Builder{Codec: cid.DagCBOR, MhType: mh.BLAKE2B_MIN + 31}.Sum(root)
	if err != nil {
		t.Fatal(err)
	}
	onEngines(t, func(t *testing.T, k engineKind) {
		r := probe(t, network.Version21, k, eventProbe(nil, nil, nil), 0)
		if r.errno != 0 || r.ret.Receipt.EventsRoot == nil || *r.ret.Receipt.EventsRoot != want {
			t.Fatalf("errno %d, events root %v, want %s", r.errno, r.ret.Receipt.EventsRoot, want)
		}
		if len(r.ret.Events) != 1 || !bytes.Equal(r.ret.Events[0], stamped) {
			t.Errorf("events %x, want [%x]", r.ret.Events, stamped)
		}
	})
}

// fvm-abi-next.md §14 scenario 7: emit_event in a read-only call is ReadOnly
// (13) before any charge. The probe sends itself, read-only, a probe
// message that emits E = 1, K = 1, V = 32.
func TestV4EmitEventReadOnly(t *testing.T) {
	inner := eventProbe([][]byte{packedEntry(3, 0x55, 1, 32)}, []byte{'k'}, make([]byte, 32))
	self := []byte{0x00, byte(testactors.ProbeID)} // f080: 0x00 ‖ LEB128 80
	p := testactors.ProbeParams(testactors.ProbeSend, append(self, inner...),
		testactors.ProbeData, 2, 2, testactors.ProbeData+2, uint64(len(inner)), 0, ^uint64(0), 1)
	onEngines(t, func(t *testing.T, k engineKind) {
		r := probe(t, network.Version21, k, p, 0)
		if r.errno != 0 || binary.LittleEndian.Uint32(r.out) != 0 {
			t.Fatalf("send errno %d exit %d; %s", r.errno, binary.LittleEndian.Uint32(r.out), r.ret.FailureInfo)
		}
		if inner := binary.LittleEndian.Uint32(r.out[20:]); inner != 13 { // the child's probe result: errno first
			t.Errorf("child emit_event errno %d, want ReadOnly (13)", inner)
		}
		if got := named(r.log, "OnActorEvent"); len(got) != 0 {
			t.Errorf("OnActorEvent %v charged in read-only mode", got)
		}
	})
}

// fvm-abi-next.md §14 scenario 9, §3.3, fvm-gas-next.md §4.2 and §10
// examples 6–7: at epoch 1,000 randomness for epoch e costs 146,200 +
// 75·(1,000 − e) and returns the client's digest unchanged; a future epoch
// saturates the charge (out of gas); an overflowing lookback is
// IllegalArgument before any charge.
func TestV4Randomness(t *testing.T) {
	for _, c := range []struct {
		name   string
		op     uint32
		epoch  int64
		exit   uint32
		errno  uint32
		charge []int64
	}{
		{"chain-lookback-0", testactors.ProbeChainRandomness, 1000, 0, 0, []int64{146_200_000}},
		{"chain-lookback-1", testactors.ProbeChainRandomness, 999, 0, 0, []int64{146_275_000}},
		{"chain-lookback-900", testactors.ProbeChainRandomness, 100, 0, 0, []int64{213_700_000}},
		{"beacon-lookback-1000", testactors.ProbeBeaconRandomness, 0, 0, 0, []int64{221_200_000}},
		{"beacon-lookback-2880", testactors.ProbeBeaconRandomness, 1000 - 2880, 0, 0, []int64{362_200_000}},
		{"future", testactors.ProbeChainRandomness, 1001, 7, 0, nil},
		{"overflow", testactors.ProbeBeaconRandomness, -1 << 63, 0, 1, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			onEngines(t, func(t *testing.T, k engineKind) {
				r := probe(t, network.Version21, k, testactors.ProbeParams(c.op, nil, uint64(c.epoch)), 50_000_000)
				if uint32(r.ret.Receipt.ExitCode) != c.exit {
					t.Fatalf("exit %d, want %d; %s", r.ret.Receipt.ExitCode, c.exit, r.ret.FailureInfo)
				}
				if c.exit == 7 {
					if r.ret.Receipt.GasUsed != 50_000_000 {
						t.Errorf("gas used %d, want the limit", r.ret.Receipt.GasUsed)
					}
					return
				}
				if r.errno != c.errno {
					t.Fatalf("errno %d, want %d", r.errno, c.errno)
				}
				if got := named(r.log, "OnGetRandomness"); !equalInts(got, c.charge) {
					t.Errorf("OnGetRandomness %v, want %v", got, c.charge)
				}
				if c.errno == 0 && !bytes.Equal(r.out[:32], testactors.FallbackDigest[:]) {
					t.Errorf("randomness %x, want the client's digest %x unchanged", r.out[:32], testactors.FallbackDigest)
				}
			})
		})
	}
}

// fvm-abi-next.md §14 scenario 11, fvm-gas-next.md §10 example 8: at epoch
// 10,000, tipset_cid of offset 900 costs 146,200 + 67,500 = 213,700 and
// returns the extern's CID (v3 refused it); offset 1 costs 146,275; offset 0
// is IllegalArgument before any charge; offset 2,880 costs 362,200; an
// extern failure is fatal (exit 10, gas_used = gas_limit).
func TestV4TipsetCid(t *testing.T) {
	c38, err := cid.V1Builder{Codec: cid.DagCBOR, MhType: mh.BLAKE2B_MIN + 31}.Sum([]byte("tipset"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		epoch  int64
		errno  uint32
		charge []int64
	}{
		{"offset-900", 9_100, 0, []int64{213_700_000}},
		{"offset-1", 9_999, 0, []int64{146_275_000}},
		{"offset-2", 9_998, 0, []int64{146_350_000}},
		{"offset-899", 9_101, 0, []int64{213_625_000}},
		{"offset-2880", 10_000 - 2_880, 0, []int64{362_200_000}},
		{"offset-0", 10_000, 1, nil},
		{"future", 10_001, 1, nil},
		{"negative", -1, 1, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			onEngines(t, func(t *testing.T, k engineKind) {
				r := probe(t, network.Version21, k, testactors.ProbeParams(testactors.ProbeTipsetCid, nil, uint64(c.epoch), 100), 0,
					kernel.WithEpoch(10_000), kernel.WithExterns(tipsetExterns{c38}))
				if r.ret.Receipt.ExitCode != 0 || r.errno != c.errno {
					t.Fatalf("exit %d errno %d, want 0 and %d; %s", r.ret.Receipt.ExitCode, r.errno, c.errno, r.ret.FailureInfo)
				}
				if got := named(r.log, "OnTipsetCid"); !equalInts(got, c.charge) {
					t.Errorf("OnTipsetCid %v, want %v", got, c.charge)
				}
				if c.errno == 0 && (binary.LittleEndian.Uint32(r.out) != 38 || !bytes.Equal(r.out[4:42], c38.Bytes())) {
					t.Errorf("cid %x, want %x", r.out[:42], c38.Bytes())
				}
			})
		})
	}
	t.Run("extern-failure", func(t *testing.T) {
		onEngines(t, func(t *testing.T, k engineKind) {
			r := probe(t, network.Version21, k, testactors.ProbeParams(testactors.ProbeTipsetCid, nil, 9_100, 100), 50_000_000,
				kernel.WithEpoch(10_000))
			if r.ret.Receipt.ExitCode != 10 || r.ret.Receipt.GasUsed != 50_000_000 {
				t.Errorf("exit %d gas %d, want 10 and the limit", r.ret.Receipt.ExitCode, r.ret.Receipt.GasUsed)
			}
		})
	})
}

// fvm-abi-next.md §14 scenario 12, §3.3: the probe holds 1,000,000
// attoFIL. self_destruct(0) is IllegalOperation and leaves it intact;
// self_destruct(2) (any non-zero i32 burns) moves the balance to f099
// without OnValueTransfer and deletes the actor, after which self.root is
// IllegalOperation; in a read-only call it is ReadOnly with no charge.
func TestV4SelfDestruct(t *testing.T) {
	onEngines(t, func(t *testing.T, k engineKind) {
		r := probe(t, network.Version21, k, testactors.ProbeParams(testactors.ProbeSelfDestruct, nil, 0), 0)
		if r.errno != 2 || r.out[124] != 0 {
			t.Errorf("self_destruct(0): errno %d, root errno %d; want 2 and 0", r.errno, r.out[124])
		}
		if a := r.w.actor(testactors.ProbeID); a == nil || a.Balance.Int64() != 1_000_000 {
			t.Errorf("probe after self_destruct(0): %+v", a)
		}

		r = probe(t, network.Version21, k, testactors.ProbeParams(testactors.ProbeSelfDestruct, nil, 2), 0)
		if r.errno != 0 || r.out[124] != 2 {
			t.Errorf("self_destruct(2): errno %d, root errno %d; want 0 and 2", r.errno, r.out[124])
		}
		if a := r.w.actor(testactors.ProbeID); a != nil {
			t.Errorf("probe still exists: %+v", a)
		}
		// f099 also receives the message's burns (fvm-gas.md §5.3).
		burns := big.Add(r.ret.BaseFeeBurn, r.ret.OverEstimationBurn)
		if a := r.w.actor(testactors.BurntFundsID); a == nil || !big.Sub(a.Balance, burns).Equals(big.NewInt(1_000_000)) {
			t.Errorf("f099 after the burn: %+v with %s of gas burns, want 1,000,000 attoFIL more", a, burns)
		}
		if got := named(r.log, "OnValueTransfer"); len(got) != 0 {
			t.Errorf("OnValueTransfer %v charged for the burn", got)
		}
		if got := named(r.log, "OnDeleteActor"); !equalInts(got, []int64{0}) {
			t.Errorf("OnDeleteActor %v, want [0]", got)
		}

		inner := testactors.ProbeParams(testactors.ProbeSelfDestruct, nil, 1)
		self := []byte{0x00, byte(testactors.ProbeID)}
		r = probe(t, network.Version21, k, testactors.ProbeParams(testactors.ProbeSend, append(self, inner...),
			testactors.ProbeData, 2, 2, testactors.ProbeData+2, uint64(len(inner)), 0, ^uint64(0), 1), 0)
		if got := binary.LittleEndian.Uint32(r.out[20:]); r.errno != 0 || got != 13 {
			t.Errorf("read-only self_destruct: send errno %d, child errno %d; want 0 and ReadOnly (13)", r.errno, got)
		}
		if got := named(r.log, "OnDeleteActor"); len(got) != 0 {
			t.Errorf("OnDeleteActor %v charged in read-only mode", got)
		}
	})
}

// fvm-abi-next.md §14 scenario 32, §1.2: a module without invoke makes the
// callee exit with SYS_INVALID_RECEIVER (5): a nested send sees exit 5 and
// no error number.
func TestV4MissingEntryPointNested(t *testing.T) {
	to := []byte{0x00, byte(testactors.NoInvokeID)}
	onEngines(t, func(t *testing.T, k engineKind) {
		r := probe(t, network.Version21, k, testactors.ProbeParams(testactors.ProbeSend, to,
			testactors.ProbeData, 2, 2, 0, 0, 0, ^uint64(0), 0), 0)
		if r.ret.Receipt.ExitCode != 0 || r.errno != 0 || binary.LittleEndian.Uint32(r.out) != 5 {
			t.Errorf("exit %d errno %d send exit %d; want 0, 0, 5", r.ret.Receipt.ExitCode, r.errno, binary.LittleEndian.Uint32(r.out))
		}
	})
}
