package syscalls

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// Fixtures. Binary forms follow the CID and address specs (fvm-abi.md §8.7).
var (
	testCID   = cid.NewCidV1(0x71, mustMH(multihash.BLAKE2B_MIN+31, "gofvm")) // 38 bytes: 01 71 a0e402 20 …
	testCIDv0 = cid.NewCidV0(mustMH(multihash.SHA2_256, "v0"))                // 34 bytes: 12 20 …
	idAddr    = mustAddr(address.NewIDAddress(100))                           // 00 64
	f2Addr    = mustAddr(address.NewActorAddress([]byte("gofvm")))            // 02 + 20 bytes
	f4Addr    = mustAddr(address.NewDelegatedAddress(10, bytes.Repeat([]byte{0xee}, 20)))
)

func mustMH(code uint64, data string) multihash.Multihash {
	h, err := multihash.Sum([]byte(data), code, -1)
	if err != nil {
		panic(err)
	}
	return h
}

func mustAddr(a address.Address, err error) address.Address {
	if err != nil {
		panic(err)
	}
	return a
}

func hx(b []byte) string { return hex.EncodeToString(b) }

// le32/le64 render little-endian fields for expected memory (fvm-abi.md §1.5).
func le32(v uint32) string {
	return fmt.Sprintf("%02x%02x%02x%02x", v&0xff, v>>8&0xff, v>>16&0xff, v>>24)
}
func le64(v uint64) string { return le32(uint32(v)) + le32(uint32(v>>32)) }

type memWant struct {
	off uint32
	hex string
}

type abiCase struct {
	name   string
	fn     string
	abis   string // the ABIs it runs on ("2", "34", …); empty: all
	setup  func(h *harness)
	args   []uint64
	want   errno.Number
	calls  []string // expected kernel calls, in order
	mem    []memWant
	retLen uint32 // size of the value at R (0 = no ret_ptr); for the bad-ret_ptr sweep
}

func cborSeal(t testing.TB) []byte {
	var b bytes.Buffer
	info := proof.SealVerifyInfo{SealProof: abi.RegisteredSealProof_StackedDrg32GiBV1_1,
		SectorID: abi.SectorID{Miner: 1000, Number: 7}, DealIDs: []abi.DealID{},
		Proof: []byte{1, 2, 3}, SealedCID: testCID, UnsealedCID: testCID}
	if err := info.MarshalCBOR(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// abiCases is the table every ABI test runs: one or more cases per syscall.
func abiCases(t testing.TB) []abiCase {
	cidHex := hx(testCID.Bytes())
	cidLen := uint64(len(testCID.Bytes()))
	seal := cborSeal(t)
	var post, agg, rep bytes.Buffer
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must((&proof.WindowPoStVerifyInfo{Randomness: abi.PoStRandomness{1}, Proofs: []proof.PoStProof{{PoStProof: 5, ProofBytes: []byte{9}}},
		ChallengedSectors: []proof.SectorInfo{}, Prover: 1234}).MarshalCBOR(&post))
	must((&proof.AggregateSealVerifyProofAndInfos{Miner: 77, SealProof: 8, AggregateProof: 1, Proof: []byte{4},
		Infos: []proof.AggregateSealVerifyInfo{{Number: 1, Randomness: []byte{1}, InteractiveRandomness: []byte{2}, SealedCID: testCID, UnsealedCID: testCID}}}).MarshalCBOR(&agg))
	// ReplicaUpdateInfo's proof is a Vec<u8> without strict_bytes in the
	// reference: an array of small integers (see replica.go).
	rep.Write(must2(hex.DecodeString("8503" + "d82a" + fmt.Sprintf("58%02x00", cidLen+1) + cidHex +
		"d82a" + fmt.Sprintf("58%02x00", cidLen+1) + cidHex + "d82a" + fmt.Sprintf("58%02x00", cidLen+1) + cidHex + "820707")))
	// [[2048, cid]]: array(1) array(2) uint 2048, tag 42 bytes(0x00 ‖ cid).
	pieces := "81" + "82" + "190800" + "d82a" + fmt.Sprintf("58%02x00", cidLen+1) + cidHex
	batch := append([]byte{0x82}, append(append([]byte{}, seal...), seal...)...)

	w := func(off uint32, b []byte) func(h *harness) { return func(h *harness) { h.write(off, b) } }
	both := func(fs ...func(h *harness)) func(h *harness) {
		return func(h *harness) {
			for _, f := range fs {
				f(h)
			}
		}
	}
	fillO := strings.Repeat("aa", 4)
	return []abiCase{
		// vm
		{name: "context", fn: "vm.context", abis: "2", retLen: 52, args: []uint64{R},
			setup: func(h *harness) {
				h.k.invCtx = InvocationContext{ValueReceived: tokenHL(2, 1), Caller: 100, Receiver: 101, MethodNumber: 5, NetworkCurrEpoch: 1234, NetworkVersion: 17}
			},
			calls: []string{"InvocationContext()"},
			mem:   []memWant{{R, le64(1) + le64(2) + le64(100) + le64(101) + le64(5) + le64(1234) + le32(17)}}},
		{name: "message_context", fn: "vm.message_context", abis: "34", retLen: 80, args: []uint64{R},
			setup: func(h *harness) {
				h.k.msgCtx = MessageContext{Origin: 1, Nonce: 2, Caller: 3, Receiver: 4, MethodNumber: 5,
					ValueReceived: tokenHL(7, 6), GasPremium: tokenHL(9, 8), Flags: ReadOnly}
			},
			calls: []string{"MessageContext()"},
			mem:   []memWant{{R, le64(1) + le64(2) + le64(3) + le64(4) + le64(5) + le64(6) + le64(7) + le64(8) + le64(9) + le64(1)}}},
		// network
		{name: "base_fee", fn: "network.base_fee", abis: "2", retLen: 16, args: []uint64{R},
			setup: func(h *harness) { h.k.token = tokenHL(0x0102030405060708, 0x1112131415161718) },
			calls: []string{"BaseFee()"}, mem: []memWant{{R, "1817161514131211" + "0807060504030201"}}},
		{name: "circ_supply", fn: "network.total_fil_circ_supply", retLen: 16, args: []uint64{R},
			setup: func(h *harness) { h.k.token = tokenHL(0, 1e18) },
			calls: []string{"TotalFilCircSupply()"}, mem: []memWant{{R, le64(1e18) + le64(0)}}},
		{name: "network_context", fn: "network.context", abis: "34", retLen: 44, args: []uint64{R},
			setup: func(h *harness) {
				h.k.netCtx = NetworkContext{Epoch: 1000, Timestamp: 1600000000, BaseFee: tokenHL(3, 100), ChainID: 314, NetworkVersion: 18}
			},
			calls: []string{"NetworkContext()"},
			mem:   []memWant{{R, le64(1000) + le64(1600000000) + le64(100) + le64(3) + le64(314) + le32(18)}}},
		{name: "tipset_cid", fn: "network.tipset_cid", abis: "34", retLen: 4, args: []uint64{R, 5, O, 100},
			setup: func(h *harness) { h.k.cid = testCID },
			calls: []string{"TipsetCid(5)"}, mem: []memWant{{R, le32(uint32(cidLen))}, {O, cidHex}}},
		{name: "tipset_cid/too_small", fn: "network.tipset_cid", abis: "34", args: []uint64{R, 5, O, cidLen - 1},
			setup: func(h *harness) { h.k.cid = testCID },
			want:  errno.BufferTooSmall, calls: []string{"TipsetCid(5)"}, mem: []memWant{{R, fillO}, {O, fillO}}},
		{name: "tipset_cid/oob", fn: "network.tipset_cid", abis: "34", args: []uint64{R, 5, memSize - 99, 100},
			want: errno.IllegalArgument},
		// ipld
		{name: "block_open", fn: "ipld.block_open", retLen: 16, args: []uint64{R, A},
			setup: both(w(A, testCID.Bytes()), func(h *harness) { h.k.id = 7; h.k.stat = BlockStat{Codec: 0x71, Size: 0x1234} }),
			calls: []string{"BlockOpen(" + testCID.String() + ")"},
			mem:   []memWant{{R, le64(0x71) + le32(7) + le32(0x1234)}}},
		{name: "block_open/trailing_bytes", fn: "ipld.block_open", args: []uint64{R, A},
			setup: w(A, append(testCID.Bytes(), 0xff, 0xff, 0xff)),
			calls: []string{"BlockOpen(" + testCID.String() + ")"}},
		{name: "block_open/cidv0_at_end", fn: "ipld.block_open", args: []uint64{R, memSize - 34},
			setup: w(memSize-34, testCIDv0.Bytes()),
			calls: []string{"BlockOpen(" + testCIDv0.String() + ")"}},
		{name: "block_open/truncated_at_end", fn: "ipld.block_open", args: []uint64{R, memSize - 20},
			setup: w(memSize-20, testCID.Bytes()[:20]), want: errno.IllegalArgument},
		{name: "block_open/past_end", fn: "ipld.block_open", args: []uint64{R, memSize + 1}, want: errno.IllegalArgument},
		{name: "block_open/at_end", fn: "ipld.block_open", args: []uint64{R, memSize}, want: errno.IllegalArgument},
		{name: "block_open/version0_explicit", fn: "ipld.block_open", args: []uint64{R, A},
			setup: w(A, append([]byte{0x00, 0x71}, testCID.Hash()...)), want: errno.IllegalArgument},
		{name: "block_open/version2", fn: "ipld.block_open", args: []uint64{R, A},
			setup: w(A, append([]byte{0x02, 0x71}, testCID.Hash()...)), want: errno.IllegalArgument},
		{name: "block_open/digest_64", fn: "ipld.block_open", args: []uint64{R, A},
			setup: w(A, append([]byte{0x01, 0x55, 0x00, 0x40}, bytes.Repeat([]byte{1}, 64)...)),
			calls: []string{"BlockOpen(" + cid.NewCidV1(0x55, append([]byte{0x00, 0x40}, bytes.Repeat([]byte{1}, 64)...)).String() + ")"}},
		{name: "block_open/digest_65", fn: "ipld.block_open", args: []uint64{R, A},
			setup: w(A, append([]byte{0x01, 0x55, 0x00, 0x41}, bytes.Repeat([]byte{1}, 65)...)), want: errno.IllegalArgument},
		{name: "block_create", fn: "ipld.block_create", retLen: 4, args: []uint64{R, 0x71, A, 3},
			setup: both(w(A, []byte("abc")), func(h *harness) { h.k.id = 9 }),
			calls: []string{"BlockCreate(113,616263)"}, mem: []memWant{{R, le32(9)}}},
		{name: "block_create/empty_at_end", fn: "ipld.block_create", args: []uint64{R, 0x55, memSize, 0},
			calls: []string{"BlockCreate(85,)"}},
		{name: "block_create/empty_past_end", fn: "ipld.block_create", args: []uint64{R, 0x55, memSize + 1, 0}, want: errno.IllegalArgument},
		{name: "block_create/oob", fn: "ipld.block_create", args: []uint64{R, 0x71, memSize - 1, 2}, want: errno.IllegalArgument},
		{name: "block_create/huge_len", fn: "ipld.block_create", args: []uint64{R, 0x71, 1, 0xffffffff}, want: errno.IllegalArgument},
		{name: "block_read", fn: "ipld.block_read", retLen: 4, args: []uint64{R, 1, 2, O, 4},
			setup: func(h *harness) { h.k.block = []byte("hello world") },
			calls: []string{"BlockRead(1,2,4)"}, mem: []memWant{{R, le32(5)}, {O, hx([]byte("llo ")) + "aa"}}},
		{name: "block_read/longer_than_block", fn: "ipld.block_read", args: []uint64{R, 1, 0, O, 20},
			setup: func(h *harness) { h.k.block = []byte("hello world") },
			calls: []string{"BlockRead(1,0,20)"}, mem: []memWant{{R, le32(uint32(0xffffffff - 8))}}}, // 11 − 20 = −9
		{name: "block_read/end_is_i32_max", fn: "ipld.block_read", args: []uint64{R, 1, 0x7ffffff0, O, 15},
			calls: []string{"BlockRead(1,2147483632,15)"}},
		{name: "block_read/end_overflows_i32", fn: "ipld.block_read", args: []uint64{R, 1, 0x7ffffff0, O, 16}, want: errno.IllegalArgument},
		{name: "block_read/oob_first", fn: "ipld.block_read", args: []uint64{R, 1, 0x7fffffff, memSize - 4, 8}, want: errno.IllegalArgument},
		{name: "block_stat", fn: "ipld.block_stat", retLen: 12, args: []uint64{R, 3},
			setup: func(h *harness) { h.k.stat = BlockStat{Codec: 0x55, Size: 0xdeadbeef} },
			calls: []string{"BlockStat(3)"}, mem: []memWant{{R, le64(0x55) + le32(0xdeadbeef) + "aaaa"}}},
		{name: "block_link", fn: "ipld.block_link", retLen: 4, args: []uint64{R, 1, 0xb220, 32, O, 100},
			setup: func(h *harness) { h.k.cid = testCID },
			calls: []string{"BlockLink(1,45600,32)"}, mem: []memWant{{R, le32(uint32(cidLen))}, {O, cidHex + "aa"}}},
		{name: "block_link/too_small_after_kernel", fn: "ipld.block_link", args: []uint64{R, 1, 0xb220, 32, O, cidLen - 1},
			setup: func(h *harness) { h.k.cid = testCID },
			want:  errno.BufferTooSmall, calls: []string{"BlockLink(1,45600,32)"}, mem: []memWant{{O, fillO}}},
		{name: "block_link/oob", fn: "ipld.block_link", args: []uint64{R, 1, 0xb220, 32, memSize - 10, 11}, want: errno.IllegalArgument},
		// self
		{name: "root", fn: "self.root", retLen: 4, args: []uint64{R, O, cidLen},
			setup: func(h *harness) { h.k.cid = testCID },
			calls: []string{"Root()"}, mem: []memWant{{R, le32(uint32(cidLen))}, {O, cidHex + "aa"}}},
		{name: "root/too_small", fn: "self.root", args: []uint64{R, O, 10},
			setup: func(h *harness) { h.k.cid = testCID }, want: errno.BufferTooSmall, calls: []string{"Root()"}},
		{name: "root/oob", fn: "self.root", args: []uint64{R, memSize, 1}, want: errno.IllegalArgument},
		{name: "set_root", fn: "self.set_root", args: []uint64{A}, setup: w(A, testCID.Bytes()),
			calls: []string{"SetRoot(" + testCID.String() + ")"}},
		{name: "set_root/bad_cid", fn: "self.set_root", args: []uint64{A}, setup: w(A, []byte{0x01, 0x71, 0xff}), want: errno.IllegalArgument},
		{name: "current_balance", fn: "self.current_balance", retLen: 16, args: []uint64{R},
			setup: func(h *harness) { h.k.token = tokenHL(1, 2) },
			calls: []string{"CurrentBalance()"}, mem: []memWant{{R, le64(2) + le64(1)}}},
		{name: "self_destruct", abis: "23", fn: "self.self_destruct", args: []uint64{A, 2}, setup: w(A, idAddr.Bytes()),
			calls: []string{"SelfDestruct(f0100)"}},
		{name: "self_destruct/keep", abis: "4", fn: "self.self_destruct", args: []uint64{0}, calls: []string{"SelfDestructBurn(false)"}},
		{name: "self_destruct/burn", abis: "4", fn: "self.self_destruct", args: []uint64{1}, calls: []string{"SelfDestructBurn(true)"}},
		{name: "self_destruct/burn_any_nonzero", abis: "4", fn: "self.self_destruct", args: []uint64{0x80000000}, calls: []string{"SelfDestructBurn(true)"}},
		{name: "self_destruct/bad_address", abis: "23", fn: "self.self_destruct", args: []uint64{A, 3}, setup: w(A, []byte{0x01, 1, 2}), want: errno.IllegalArgument},
		{name: "self_destruct/empty_address", abis: "23", fn: "self.self_destruct", args: []uint64{A, 0}, want: errno.IllegalArgument},
		{name: "self_destruct/oob", abis: "23", fn: "self.self_destruct", args: []uint64{memSize - 1, 2}, want: errno.IllegalArgument},
		// actor
		{name: "resolve_address", fn: "actor.resolve_address", retLen: 8, args: []uint64{R, A, 2},
			setup: both(w(A, idAddr.Bytes()), func(h *harness) { h.k.u64 = 0x0102030405060708 }),
			calls: []string{"ResolveAddress(f0100)"}, mem: []memWant{{R, "0807060504030201"}}},
		{name: "resolve_address/f4_v2", fn: "actor.resolve_address", abis: "2", args: []uint64{R, A, uint64(len(f4Addr.Bytes()))},
			setup: w(A, f4Addr.Bytes()), want: errno.IllegalArgument},
		{name: "resolve_address/f4_v3", fn: "actor.resolve_address", abis: "34", args: []uint64{R, A, uint64(len(f4Addr.Bytes()))},
			setup: w(A, f4Addr.Bytes()), calls: []string{"ResolveAddress(" + f4Addr.String() + ")"}},
		{name: "get_actor_code_cid", fn: "actor.get_actor_code_cid", retLen: 4, args: []uint64{R, 42, O, 100},
			setup: func(h *harness) { h.k.cid = testCID },
			calls: []string{"GetActorCodeCid(42)"}, mem: []memWant{{R, le32(uint32(cidLen))}, {O, cidHex}}},
		{name: "get_actor_code_cid/oob", fn: "actor.get_actor_code_cid", args: []uint64{R, 42, O, memSize}, want: errno.IllegalArgument},
		{name: "get_builtin_actor_type", fn: "actor.get_builtin_actor_type", retLen: 4, args: []uint64{R, A},
			setup: both(w(A, testCID.Bytes()), func(h *harness) { h.k.i32 = 7 }),
			calls: []string{"GetBuiltinActorType(" + testCID.String() + ")"}, mem: []memWant{{R, le32(7)}}},
		{name: "get_code_cid_for_type", fn: "actor.get_code_cid_for_type", retLen: 4, args: []uint64{R, 0xffffffff, O, 100},
			setup: func(h *harness) { h.k.cid = testCID },
			calls: []string{"GetCodeCidForType(-1)"}, mem: []memWant{{R, le32(uint32(cidLen))}, {O, cidHex}}},
		{name: "new_actor_address", fn: "actor.new_actor_address", abis: "2", retLen: 4, args: []uint64{R, O, 21},
			setup: func(h *harness) { h.k.addr = &f2Addr },
			calls: []string{"NewActorAddress()"}, mem: []memWant{{R, le32(21)}, {O, hx(f2Addr.Bytes()) + "aa"}}},
		{name: "new_actor_address/20", fn: "actor.new_actor_address", abis: "2", args: []uint64{R, O, 20}, want: errno.BufferTooSmall},
		{name: "new_actor_address/oob", fn: "actor.new_actor_address", abis: "2", args: []uint64{R, memSize - 20, 21}, want: errno.IllegalArgument},
		{name: "next_actor_address", fn: "actor.next_actor_address", abis: "34", retLen: 4, args: []uint64{R, O, 100},
			setup: func(h *harness) { h.k.addr = &f2Addr },
			calls: []string{"NextActorAddress()"}, mem: []memWant{{R, le32(21)}, {O, hx(f2Addr.Bytes()) + "aa"}}},
		{name: "next_actor_address/20", fn: "actor.next_actor_address", abis: "34", args: []uint64{R, O, 20}, want: errno.BufferTooSmall},
		{name: "create_actor_v2", fn: "actor.create_actor", abis: "2", args: []uint64{42, A}, setup: w(A, testCID.Bytes()),
			calls: []string{"CreateActor(" + testCID.String() + ",42,nil)"}},
		{name: "create_actor_v2/bad_cid", fn: "actor.create_actor", abis: "2", args: []uint64{42, memSize + 5}, want: errno.IllegalArgument},
		{name: "create_actor_v3/no_address", fn: "actor.create_actor", abis: "34", args: []uint64{42, A, memSize + 5, 0}, setup: w(A, testCID.Bytes()),
			calls: []string{"CreateActor(" + testCID.String() + ",42,nil)"}},
		{name: "create_actor_v3/delegated", fn: "actor.create_actor", abis: "34", args: []uint64{42, A, B, uint64(len(f4Addr.Bytes()))},
			setup: both(w(A, testCID.Bytes()), w(B, f4Addr.Bytes())),
			calls: []string{"CreateActor(" + testCID.String() + ",42," + f4Addr.String() + ")"}},
		{name: "create_actor_v3/bad_address", fn: "actor.create_actor", abis: "34", args: []uint64{42, A, B, 5},
			setup: w(A, testCID.Bytes()), want: errno.IllegalArgument},
		{name: "create_actor_v3/bad_cid_first", fn: "actor.create_actor", abis: "34", args: []uint64{42, memSize, memSize, 5}, want: errno.IllegalArgument},
		{name: "lookup_delegated_address", fn: "actor.lookup_delegated_address", abis: "34", retLen: 4, args: []uint64{R, 42, O, 100},
			setup: func(h *harness) { h.k.addr = &f4Addr },
			calls: []string{"LookupDelegatedAddress(42)"}, mem: []memWant{{R, le32(22)}, {O, hx(f4Addr.Bytes()) + "aa"}}},
		{name: "lookup_delegated_address/none", fn: "actor.lookup_delegated_address", abis: "34", args: []uint64{R, 42, O, 0},
			calls: []string{"LookupDelegatedAddress(42)"}, mem: []memWant{{R, le32(0)}, {O, fillO}}},
		{name: "lookup_delegated_address/too_small", fn: "actor.lookup_delegated_address", abis: "34", args: []uint64{R, 42, O, 21},
			setup: func(h *harness) { h.k.addr = &f4Addr }, want: errno.BufferTooSmall,
			calls: []string{"LookupDelegatedAddress(42)"}, mem: []memWant{{R, fillO}, {O, fillO}}},
		{name: "lookup_delegated_address/oob", fn: "actor.lookup_delegated_address", abis: "34", args: []uint64{R, 42, memSize, 1}, want: errno.IllegalArgument},
		{name: "balance_of", fn: "actor.balance_of", abis: "34", retLen: 16, args: []uint64{R, 99},
			setup: func(h *harness) { h.k.token = tokenHL(0xffffffffffffffff, 0xfffffffffffffffe) },
			calls: []string{"BalanceOf(99)"}, mem: []memWant{{R, "feffffffffffffff" + "ffffffffffffffff"}}},
		// crypto
		{name: "verify_signature/valid", fn: "crypto.verify_signature", retLen: 4, args: []uint64{R, 1, A, 3, B, 2, C, 2},
			setup: both(w(A, []byte{1, 2, 3}), w(B, idAddr.Bytes()), w(C, []byte("hi")), func(h *harness) { h.k.ok = true }),
			calls: []string{"VerifySignature(1,010203,f0100,6869)"}, mem: []memWant{{R, le32(0)}}},
		{name: "verify_signature/invalid", fn: "crypto.verify_signature", args: []uint64{R, 2, A, 0, B, 2, C, 0},
			setup: w(B, idAddr.Bytes()), calls: []string{"VerifySignature(2,,f0100,)"}, mem: []memWant{{R, "ffffffff"}}},
		{name: "verify_signature/type0", fn: "crypto.verify_signature", args: []uint64{R, 0, A, 0, B, 2, C, 0}, setup: w(B, idAddr.Bytes()), want: errno.IllegalArgument},
		{name: "verify_signature/type3", fn: "crypto.verify_signature", args: []uint64{R, 3, A, 0, B, 2, C, 0}, setup: w(B, idAddr.Bytes()), want: errno.IllegalArgument},
		{name: "verify_signature/bad_addr", fn: "crypto.verify_signature", args: []uint64{R, 1, A, 0, B, 1, C, 0}, want: errno.IllegalArgument},
		{name: "verify_signature/oob_plaintext", fn: "crypto.verify_signature", args: []uint64{R, 1, A, 0, B, 2, memSize, 1}, setup: w(B, idAddr.Bytes()), want: errno.IllegalArgument},
		{name: "verify_bls_aggregate", abis: "4", fn: "crypto.verify_bls_aggregate", retLen: 4, args: []uint64{R, 2, A, B, D, C},
			setup: both(w(A, bytes.Repeat([]byte{1}, 96)), w(B, bytes.Repeat([]byte{2}, 96)), w(C, unhex(t, le32(3)+le32(1))),
				w(D, []byte("abcd")), func(h *harness) { h.k.ok = true }),
			calls: []string{"VerifyBLSAggregate(" + strings.Repeat("01", 96) + "," + strings.Repeat("02", 96) + ",[3 1],61626364)"},
			mem:   []memWant{{R, le32(0) + "aa"}}},
		{name: "verify_bls_aggregate/invalid", abis: "4", fn: "crypto.verify_bls_aggregate", args: []uint64{R, 0, A, memSize, memSize, memSize},
			calls: []string{"VerifyBLSAggregate(" + strings.Repeat("00", 96) + ",,[],)"}, mem: []memWant{{R, "ffffffffaa"}}},
		{name: "verify_bls_aggregate/signers_overflow", abis: "4", fn: "crypto.verify_bls_aggregate", args: []uint64{R, 0x5555556, A, B, D, C},
			want: errno.IllegalArgument},
		{name: "verify_bls_aggregate/sig_oob", abis: "4", fn: "crypto.verify_bls_aggregate", args: []uint64{R, 0, memSize - 95, B, D, C},
			want: errno.IllegalArgument},
		{name: "verify_bls_aggregate/keys_oob", abis: "4", fn: "crypto.verify_bls_aggregate", args: []uint64{R, 2, A, memSize - 95, D, C},
			want: errno.IllegalArgument},
		{name: "verify_bls_aggregate/lens_oob", abis: "4", fn: "crypto.verify_bls_aggregate", args: []uint64{R, 2, A, B, D, memSize - 7},
			want: errno.IllegalArgument},
		{name: "verify_bls_aggregate/plaintexts_oob", abis: "4", fn: "crypto.verify_bls_aggregate", args: []uint64{R, 2, A, B, memSize - 3, C},
			setup: w(C, unhex(t, le32(3)+le32(1))), want: errno.IllegalArgument},
		// The lengths are summed in u32 and wrap: 2^32 − 1 + 2 slices 1 byte.
		{name: "verify_bls_aggregate/lens_sum_wraps", abis: "4", fn: "crypto.verify_bls_aggregate", args: []uint64{R, 2, A, B, memSize - 1, C},
			setup: w(C, unhex(t, le32(0xffffffff)+le32(2))),
			calls: []string{"VerifyBLSAggregate(" + strings.Repeat("00", 96) + "," + strings.Repeat("00", 96) + ",[4294967295 2],00)"},
			mem:   []memWant{{R, "ffffffff"}}},
		{name: "recover_secp_public_key", fn: "crypto.recover_secp_public_key", retLen: 65, args: []uint64{R, A, B},
			setup: both(w(A, bytes.Repeat([]byte{3}, 32)), w(B, bytes.Repeat([]byte{4}, 65)), func(h *harness) { h.k.pub[0], h.k.pub[64] = 4, 0x99 }),
			calls: []string{"RecoverSecpPublicKey(" + strings.Repeat("03", 32) + "," + strings.Repeat("04", 65) + ")"},
			mem:   []memWant{{R, "04" + strings.Repeat("00", 63) + "99aa"}}},
		{name: "recover_secp_public_key/oob_sig", fn: "crypto.recover_secp_public_key", args: []uint64{R, A, memSize - 64}, want: errno.IllegalArgument},
		{name: "hash/full", fn: "crypto.hash", retLen: 4, args: []uint64{R, 0xb220, A, 3, O, 32},
			setup: both(w(A, []byte("abc")), func(h *harness) { h.k.digest = bytes.Repeat([]byte{0x5a}, 32) }),
			calls: []string{"Hash(45600,616263)"}, mem: []memWant{{R, le32(32)}, {O, strings.Repeat("5a", 32) + "aa"}}},
		{name: "hash/truncated", fn: "crypto.hash", args: []uint64{R, 0x12, A, 0, O, 10},
			setup: func(h *harness) { h.k.digest = bytes.Repeat([]byte{0x5a}, 32) },
			calls: []string{"Hash(18,)"}, mem: []memWant{{R, le32(10)}, {O, strings.Repeat("5a", 10) + "aa"}}},
		{name: "hash/long_buffer", fn: "crypto.hash", args: []uint64{R, 0x1053, A, 0, O, 100},
			setup: func(h *harness) { h.k.digest = bytes.Repeat([]byte{0x5a}, 20) },
			calls: []string{"Hash(4179,)"}, mem: []memWant{{R, le32(20)}, {O, strings.Repeat("5a", 20) + "aa"}}},
		{name: "hash/digest_checked_first", fn: "crypto.hash", args: []uint64{R, 0x12, memSize, 1, memSize, 1}, want: errno.IllegalArgument},
		{name: "hash/data_oob", fn: "crypto.hash", args: []uint64{R, 0x12, memSize, 1, O, 32}, want: errno.IllegalArgument},
		{name: "compute_unsealed_sector_cid", fn: "crypto.compute_unsealed_sector_cid", retLen: 4, args: []uint64{R, 3, A, uint64(len(pieces) / 2), O, 100},
			setup: both(w(A, unhex(t, pieces)), func(h *harness) { h.k.cid = testCID }),
			calls: []string{"ComputeUnsealedSectorCid(3,[{2048 " + testCID.String() + "}])"}, mem: []memWant{{R, le32(uint32(cidLen))}, {O, cidHex}}},
		// Synthetic PoRep seal ids decode from 3.8.0 (nv18–20), not in v2;
		// NI-PoRep ids (15–19) not before v4 (fvm-abi-next.md §7.14).
		{name: "compute_unsealed_sector_cid/proof_10_v2", fn: "crypto.compute_unsealed_sector_cid", abis: "2", args: []uint64{R, 10, A, uint64(len(pieces) / 2), O, 100},
			setup: w(A, unhex(t, pieces)), want: errno.IllegalArgument},
		{name: "compute_unsealed_sector_cid/proof_10_v3", fn: "crypto.compute_unsealed_sector_cid", abis: "34", retLen: 4, args: []uint64{R, 10, A, uint64(len(pieces) / 2), O, 100},
			setup: both(w(A, unhex(t, pieces)), func(h *harness) { h.k.cid = testCID }),
			calls: []string{"ComputeUnsealedSectorCid(10,[{2048 " + testCID.String() + "}])"}, mem: []memWant{{R, le32(uint32(cidLen))}, {O, cidHex}}},
		{name: "compute_unsealed_sector_cid/proof_15", fn: "crypto.compute_unsealed_sector_cid", abis: "23", args: []uint64{R, 15, A, uint64(len(pieces) / 2), O, 100},
			setup: w(A, unhex(t, pieces)), want: errno.IllegalArgument},
		{name: "compute_unsealed_sector_cid/proof_-1", fn: "crypto.compute_unsealed_sector_cid", args: []uint64{R, 0xffffffffffffffff, A, 0, O, 100},
			want: errno.IllegalArgument},
		{name: "compute_unsealed_sector_cid/bad_cbor", fn: "crypto.compute_unsealed_sector_cid", args: []uint64{R, 0, A, 1, O, 100},
			setup: w(A, []byte{0x82}), want: errno.IllegalArgument},
		{name: "compute_unsealed_sector_cid/trailing", fn: "crypto.compute_unsealed_sector_cid", args: []uint64{R, 0, A, 2, O, 100},
			setup: w(A, []byte{0x80, 0x00}), want: errno.IllegalArgument},
		{name: "compute_unsealed_sector_cid/empty_list", fn: "crypto.compute_unsealed_sector_cid", args: []uint64{R, 9, A, 1, O, 100},
			setup: both(w(A, []byte{0x80}), func(h *harness) { h.k.cid = testCID }), calls: []string{"ComputeUnsealedSectorCid(9,[])"}},
		{name: "compute_unsealed_sector_cid/output_after_cbor", fn: "crypto.compute_unsealed_sector_cid", args: []uint64{R, 0, A, 1, memSize, 1},
			setup: w(A, []byte{0x80}), want: errno.IllegalArgument},
		{name: "verify_seal", abis: "2", fn: "crypto.verify_seal", retLen: 4, args: []uint64{R, A, uint64(len(seal))},
			setup: both(w(A, seal), func(h *harness) { h.k.ok = true }),
			calls: []string{"VerifySeal(7,010203)"}, mem: []memWant{{R, le32(0)}}},
		{name: "verify_seal/bad_cbor", abis: "2", fn: "crypto.verify_seal", args: []uint64{R, A, uint64(len(seal) - 1)}, setup: w(A, seal), want: errno.IllegalArgument},
		{name: "verify_post", fn: "crypto.verify_post", retLen: 4, args: []uint64{R, A, uint64(post.Len())},
			setup: w(A, post.Bytes()), calls: []string{"VerifyPost(1234,1)"}, mem: []memWant{{R, "ffffffff"}}},
		{name: "verify_post/not_cbor", fn: "crypto.verify_post", args: []uint64{R, A, 3}, setup: w(A, []byte{0xff, 0xff, 0xff}), want: errno.IllegalArgument},
		{name: "verify_aggregate_seals", fn: "crypto.verify_aggregate_seals", retLen: 4, args: []uint64{R, A, uint64(agg.Len())},
			setup: both(w(A, agg.Bytes()), func(h *harness) { h.k.ok = true }), calls: []string{"VerifyAggregateSeals(77,1)"}, mem: []memWant{{R, le32(0)}}},
		{name: "verify_replica_update", fn: "crypto.verify_replica_update", retLen: 4, args: []uint64{R, A, uint64(rep.Len())},
			setup: w(A, rep.Bytes()), calls: []string{"VerifyReplicaUpdate(3,0707)"}, mem: []memWant{{R, "ffffffff"}}},
		{name: "verify_replica_update/oob", fn: "crypto.verify_replica_update", args: []uint64{R, memSize - 1, 2}, want: errno.IllegalArgument},
		{name: "verify_consensus_fault", fn: "crypto.verify_consensus_fault", retLen: 20, args: []uint64{R, A, 1, B, 2, C, 0},
			setup: both(w(A, []byte{1}), w(B, []byte{2, 3}), func(h *harness) { h.k.fault = &ConsensusFault{Epoch: 10, Target: 1000, Type: 2} }),
			calls: []string{"VerifyConsensusFault(01,0203,)"}, mem: []memWant{{R, le64(10) + le64(1000) + le32(2) + "aa"}}},
		{name: "verify_consensus_fault/none", fn: "crypto.verify_consensus_fault", args: []uint64{R, A, 0, B, 0, C, 0},
			calls: []string{"VerifyConsensusFault(,,)"}, mem: []memWant{{R, strings.Repeat("00", 20) + "aa"}}},
		{name: "verify_consensus_fault/oob_extra", fn: "crypto.verify_consensus_fault", args: []uint64{R, A, 0, B, 0, memSize, 1}, want: errno.IllegalArgument},
		{name: "batch_verify_seals", fn: "crypto.batch_verify_seals", args: []uint64{A, uint64(len(batch)), O},
			setup: both(w(A, batch), func(h *harness) { h.k.batch = []bool{true, false} }),
			calls: []string{"BatchVerifySeals(2)"}, mem: []memWant{{O, "0100aa"}}},
		{name: "batch_verify_seals/result_oob", fn: "crypto.batch_verify_seals", args: []uint64{A, uint64(len(batch)), memSize - 1},
			setup: w(A, batch), want: errno.IllegalArgument},
		{name: "batch_verify_seals/bad_cbor", fn: "crypto.batch_verify_seals", args: []uint64{A, uint64(len(batch) - 1), O},
			setup: w(A, batch), want: errno.IllegalArgument},
		// rand
		{name: "chain_randomness", abis: "23", fn: "rand.get_chain_randomness", retLen: 32, args: []uint64{R, 7, 100, A, 3},
			setup: both(w(A, []byte("abc")), func(h *harness) { h.k.rand[0], h.k.rand[31] = 1, 2 }),
			calls: []string{"GetChainRandomness(7,100,616263)"}, mem: []memWant{{R, "01" + strings.Repeat("00", 30) + "02aa"}}},
		{name: "beacon_randomness", abis: "23", fn: "rand.get_beacon_randomness", retLen: 32, args: []uint64{R, 0xffffffffffffffff, 0xfffffffffffffffe, A, 0},
			calls: []string{"GetBeaconRandomness(-1,-2,)"}, mem: []memWant{{R, strings.Repeat("00", 32) + "aa"}}},
		{name: "beacon_randomness/oob", abis: "23", fn: "rand.get_beacon_randomness", args: []uint64{R, 1, 1, memSize, 1}, want: errno.IllegalArgument},
		{name: "chain_randomness_digest", abis: "4", fn: "rand.get_chain_randomness", retLen: 32, args: []uint64{R, 100},
			setup: func(h *harness) { h.k.rand[0], h.k.rand[31] = 1, 2 },
			calls: []string{"GetChainRandomnessDigest(100)"}, mem: []memWant{{R, "01" + strings.Repeat("00", 30) + "02aa"}}},
		{name: "beacon_randomness_digest", abis: "4", fn: "rand.get_beacon_randomness", retLen: 32, args: []uint64{R, 0xfffffffffffffffe},
			calls: []string{"GetBeaconRandomnessDigest(-2)"}, mem: []memWant{{R, strings.Repeat("00", 32) + "aa"}}},
		// gas
		{name: "charge", fn: "gas.charge", args: []uint64{A, 3, 0xfffffffffffffffb}, setup: w(A, []byte("foo")),
			calls: []string{"ChargeGas(foo,-5)"}},
		{name: "charge/not_utf8", fn: "gas.charge", args: []uint64{A, 2, 1}, setup: w(A, []byte{0xc3, 0x28}), want: errno.IllegalArgument},
		{name: "charge/oob", fn: "gas.charge", args: []uint64{memSize, 1, 1}, want: errno.IllegalArgument},
		{name: "available", fn: "gas.available", abis: "34", retLen: 8, args: []uint64{R},
			setup: func(h *harness) { h.k.u64 = 123456789 }, calls: []string{"GasAvailable()"}, mem: []memWant{{R, le64(123456789) + "aa"}}},
		// send
		{name: "send_v2", fn: "send.send", abis: "2", retLen: 20, args: []uint64{R, A, 2, 3, 1, 1, 2},
			setup: both(w(A, idAddr.Bytes()), func(h *harness) { h.k.send = SendResult{ExitCode: 16, ReturnID: 2, ReturnCodec: 0x71, ReturnSize: 9} }),
			calls: []string{"Send(f0100,3,1,18446744073709551618,nil,0)"},
			mem:   []memWant{{R, le32(16) + le32(2) + le64(0x71) + le32(9) + "aa"}}},
		{name: "send_v2/f4", fn: "send.send", abis: "2", args: []uint64{R, A, uint64(len(f4Addr.Bytes())), 3, 1, 0, 0},
			setup: w(A, f4Addr.Bytes()), want: errno.IllegalArgument},
		{name: "send_v3/no_limit", fn: "send.send", abis: "34", retLen: 20, args: []uint64{R, A, 2, 3, 0, 0, 5, 0xffffffffffffffff, 0},
			setup: w(A, idAddr.Bytes()), calls: []string{"Send(f0100,3,0,5,nil,0)"},
			mem: []memWant{{R, strings.Repeat("00", 20) + "aa"}}},
		{name: "send_v3/limit_readonly", fn: "send.send", abis: "34", args: []uint64{R, A, uint64(len(f4Addr.Bytes())), 3, 0, 0xffffffffffffffff, 0xffffffffffffffff, 1000, 1},
			setup: w(A, f4Addr.Bytes()), calls: []string{"Send(" + f4Addr.String() + ",3,0,340282366920938463463374607431768211455,1000,1)"}},
		{name: "send_v3/bad_flags", fn: "send.send", abis: "34", args: []uint64{R, A, 2, 3, 0, 0, 0, 0, 2},
			setup: w(A, idAddr.Bytes()), want: errno.IllegalArgument},
		// event
		{name: "emit_event", fn: "event.emit_event", abis: "3", args: []uint64{A, 3}, setup: w(A, []byte("abc")), calls: []string{"EmitEvent(616263)"}},
		{name: "emit_event/oob", fn: "event.emit_event", abis: "3", args: []uint64{memSize - 2, 3}, want: errno.IllegalArgument},
		// Entries: flags 3, codec 0x55, key 1, value 2; flags 0, codec 0x51, 0, 0.
		{name: "emit_event_packed", fn: "event.emit_event", abis: "4", args: []uint64{A, 2, B, 1, C, 2},
			setup: both(w(A, unhex(t, le64(3)+le64(0x55)+le32(1)+le32(2)+le64(0)+le64(0x51)+le32(0)+le32(0))),
				w(B, []byte("k")), w(C, []byte("vv"))),
			calls: []string{"EmitEventEntries([{3 85 1 2} {0 81 0 0}],6b,7676)"}},
		{name: "emit_event_packed/empty_at_end", fn: "event.emit_event", abis: "4", args: []uint64{memSize, 0, memSize, 0, memSize, 0},
			calls: []string{"EmitEventEntries([],,)"}},
		{name: "emit_event_packed/entries_overflow", fn: "event.emit_event", abis: "4", args: []uint64{A, 0x0aaaaaab, B, 0, C, 0},
			want: errno.IllegalArgument},
		{name: "emit_event_packed/entries_oob", fn: "event.emit_event", abis: "4", args: []uint64{memSize - 47, 2, B, 0, C, 0},
			want: errno.IllegalArgument},
		{name: "emit_event_packed/keys_oob", fn: "event.emit_event", abis: "4", args: []uint64{A, 0, memSize, 1, C, 0},
			want: errno.IllegalArgument},
		{name: "emit_event_packed/values_oob", fn: "event.emit_event", abis: "4", args: []uint64{A, 0, B, 0, memSize - 1, 2},
			want: errno.IllegalArgument},
		// debug
		{name: "enabled/off", fn: "debug.enabled", retLen: 4, args: []uint64{R}, mem: []memWant{{R, "ffffffffaa"}}},
		{name: "enabled/on", fn: "debug.enabled", args: []uint64{R}, setup: func(h *harness) { h.k.debug = true }, mem: []memWant{{R, le32(0) + "aa"}}},
		{name: "log/off_no_checks", fn: "debug.log", args: []uint64{memSize + 100, 0xffffffff}},
		{name: "log/on", fn: "debug.log", args: []uint64{A, 2}, setup: both(w(A, []byte("hi")), func(h *harness) { h.k.debug = true }), calls: []string{"Log(hi)"}},
		{name: "log/on_oob", fn: "debug.log", args: []uint64{memSize, 1}, setup: func(h *harness) { h.k.debug = true }, want: errno.IllegalArgument},
		{name: "log/on_not_utf8", fn: "debug.log", args: []uint64{A, 1}, setup: both(w(A, []byte{0xff}), func(h *harness) { h.k.debug = true }), want: errno.IllegalArgument},
		{name: "store_artifact/off", fn: "debug.store_artifact", args: []uint64{memSize + 1, 1, memSize + 1, 1}},
		{name: "store_artifact/on", fn: "debug.store_artifact", args: []uint64{A, 1, B, 2},
			setup: both(w(A, []byte("n")), w(B, []byte{9, 8}), func(h *harness) { h.k.debug = true }), calls: []string{"StoreArtifact(n,0908)"}},
		{name: "store_artifact/on_bad_name", fn: "debug.store_artifact", args: []uint64{A, 1, B, 2},
			setup: both(w(A, []byte{0xff}), func(h *harness) { h.k.debug = true }), want: errno.IllegalArgument},
		{name: "store_artifact/on_data_oob", fn: "debug.store_artifact", args: []uint64{A, 1, memSize, 2},
			setup: func(h *harness) { h.k.debug = true }, want: errno.IllegalArgument},
	}
}

func (c abiCase) runsOn(nv network.Version) bool {
	abi, err := ABIFor(nv)
	if err != nil {
		panic(err)
	}
	return c.abis == "" || strings.ContainsRune(c.abis, rune('0'+abi))
}

// networkVersions are one version per FVM line.
var networkVersions = []network.Version{network.Version17, network.Version18, network.Version21}

// TestSyscalls runs every case on both ABIs (where it exists) and both
// engines: error number, kernel calls and memory bytes, and that every
// syscall paid OnSyscall and re-synced the gas global.
func TestSyscalls(t *testing.T) {
	forEngines(t, func(t *testing.T, engine int) {
		for _, nv := range networkVersions {
			for _, c := range abiCases(t) {
				if !c.runsOn(nv) {
					continue
				}
				t.Run(fmt.Sprintf("nv%d/%s", nv, c.name), func(t *testing.T) {
					h := newHarness(t, engine, nv)
					if c.setup != nil {
						c.setup(h)
					}
					got, out := h.call(c.fn, c.args...)
					if out.Kind != Returned {
						t.Fatalf("outcome %v (%v, %s), want Returned", out.Kind, out.Err, out.Message)
					}
					if errno.Number(got) != c.want {
						t.Fatalf("result %v, want %v (last error %v)", errno.Number(got), c.want, out.LastError)
					}
					if strings.Join(h.k.calls, ";") != strings.Join(c.calls, ";") {
						t.Fatalf("kernel calls\n got %q\nwant %q", h.k.calls, c.calls)
					}
					for _, m := range c.mem {
						want := unhex(t, m.hex)
						if got := h.read(m.off, uint32(len(want))); !bytes.Equal(got, want) {
							t.Fatalf("memory at %#x\n got %x\nwant %x", m.off, got, want)
						}
					}
					// One OnSyscall, no exec gas (the global was never moved by wasm).
					if used := h.k.tracker.Used(); used != gas.NewGas(onSyscallGas) {
						t.Fatalf("gas used %d, want %d", used, gas.NewGas(onSyscallGas))
					}
					if g := int64(h.g.Get()); g != int64(testLimit-gas.NewGas(onSyscallGas)) {
						t.Fatalf("gas global %d not re-synced", g)
					}
					if (c.want == 0) != (out.LastError == nil) {
						t.Fatalf("last error %v with result %v", out.LastError, c.want)
					}
				})
			}
		}
	})
}

// TestSyscallKernelErrors re-runs every case that reaches the kernel with the
// kernel failing: a syscall error comes back as its number with nothing
// written; out of gas and fatal errors end the invocation after a re-sync.
func TestSyscallKernelErrors(t *testing.T) {
	fatal := errors.New("boom")
	for _, tc := range []struct {
		name string
		err  error
		kind OutcomeKind
	}{
		{"errno", errno.New(errno.NotFound, "x"), Returned},
		{"out_of_gas", fmt.Errorf("wrapped: %w", gas.ErrOutOfGas), OutOfGas},
		{"fatal", fatal, Fatal},
		{"errno_zero_is_fatal", &errno.Error{Number: 0}, Fatal},
		{"errno_wrapping_out_of_gas", fmt.Errorf("%w: %w", errno.New(errno.NotFound, "x"), gas.ErrOutOfGas), OutOfGas},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEngines(t, func(t *testing.T, engine int) {
				for _, nv := range networkVersions {
					for _, c := range abiCases(t) {
						if !c.runsOn(nv) || c.want != 0 || len(c.calls) != 1 || c.fn == "debug.log" {
							continue
						}
						t.Run(fmt.Sprintf("nv%d/%s", nv, c.name), func(t *testing.T) {
							h := newHarness(t, engine, nv)
							if c.setup != nil {
								c.setup(h)
							}
							h.k.err = tc.err
							before := h.read(R-16, 256)
							beforeO := h.read(O-16, 256)
							got, out := h.call(c.fn, c.args...)
							if out.Kind != tc.kind {
								t.Fatalf("outcome %v (%v), want %v", out.Kind, out.Err, tc.kind)
							}
							switch tc.kind {
							case Returned:
								if errno.Number(got) != errno.NotFound {
									t.Fatalf("result %d, want NotFound", got)
								}
								if !errors.Is(out.LastError, errno.New(errno.NotFound, "")) {
									t.Fatalf("last error %v", out.LastError)
								}
							case OutOfGas:
								if !errors.Is(out.Err, gas.ErrOutOfGas) {
									t.Fatalf("err %v", out.Err)
								}
							case Fatal:
								if tc.err == fatal && !errors.Is(out.Err, fatal) {
									t.Fatalf("err %v does not wrap the kernel's", out.Err)
								}
							}
							if !bytes.Equal(before, h.read(R-16, 256)) || !bytes.Equal(beforeO, h.read(O-16, 256)) {
								t.Fatalf("memory written on failure")
							}
							if g := int64(h.g.Get()); g != int64(testLimit-gas.NewGas(onSyscallGas)) {
								t.Fatalf("gas global %d not re-synced before the trap", g)
							}
						})
					}
				}
			})
		})
	}
}

// TestBadRetPtr: for every value-returning syscall a ret_ptr whose value
// would cross the end of memory costs OnSyscall, returns IllegalArgument,
// calls nothing and leaves the gas global unsynced (fvm-abi.md §1.3 step 3);
// a ret_ptr whose value ends exactly at the end of memory is fine.
func TestBadRetPtr(t *testing.T) {
	forEngines(t, func(t *testing.T, engine int) {
		for _, nv := range networkVersions {
			seen := map[string]bool{}
			for _, c := range abiCases(t) {
				if !c.runsOn(nv) || c.retLen == 0 || seen[c.fn] {
					continue
				}
				seen[c.fn] = true
				t.Run(fmt.Sprintf("nv%d/%s", nv, c.fn), func(t *testing.T) {
					h := newHarness(t, engine, nv)
					if c.setup != nil {
						c.setup(h)
					}
					args := append([]uint64{memSize - uint64(c.retLen) + 1}, c.args[1:]...)
					got, out := h.call(c.fn, args...)
					if out.Kind != Returned || errno.Number(got) != errno.IllegalArgument || len(h.k.calls) != 0 {
						t.Fatalf("got %v %v calls %q", out.Kind, got, h.k.calls)
					}
					if g := int64(h.g.Get()); g != int64(testLimit) {
						t.Fatalf("gas global %d re-synced after a bad ret_ptr", g)
					}
					if h.k.tracker.Used() != gas.NewGas(onSyscallGas) {
						t.Fatalf("used %d, want OnSyscall only", h.k.tracker.Used())
					}
					if !errors.Is(out.LastError, errno.New(errno.IllegalArgument, "")) {
						t.Fatalf("last error %v", out.LastError)
					}

					h2 := newHarness(t, engine, nv)
					if c.setup != nil {
						c.setup(h2)
					}
					args[0] = memSize - uint64(c.retLen)
					if got, out := h2.call(c.fn, args...); out.Kind != Returned || got != 0 {
						t.Fatalf("ret_ptr at the end: %v %v (%v)", out.Kind, errno.Number(got), out.LastError)
					}
				})
			}
		}
	})
}

// TestEveryImportCovered: the table exercises every import of both ABIs.
func TestEveryImportCovered(t *testing.T) {
	for _, nv := range networkVersions {
		covered := map[string]bool{}
		for _, c := range abiCases(t) {
			if c.runsOn(nv) {
				covered[c.fn] = true
			}
		}
		covered["vm.abort"], covered["vm.exit"] = true, true // TestAbortExit
		ims, err := Imports(nv)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range ims {
			if !covered[im.Module+"."+im.Name] {
				t.Errorf("nv%d: %s.%s has no case", nv, im.Module, im.Name)
			}
		}
	}
}
