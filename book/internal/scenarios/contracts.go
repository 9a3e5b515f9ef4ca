package scenarios

import (
	"bytes"
	"math/big"

	"github.com/filecoin-project/go-address"
	"golang.org/x/crypto/sha3"

	"github.com/gofvm/gofvm/book/internal/evmasm"
)

// The book's EVM contracts, written by hand. Each reads a command from the
// first byte of its calldata.

// Counter commands.
const (
	cmdIncrement  = 1 // slot 0 += 1, LOG1(counterTopic, new value), return it
	cmdGet        = 2 // return slot 0
	cmdRevert     = 3 // REVERT with the 4 bytes "nope"
	cmdPay        = 4 // CALL the address in calldata[1:21] with the call's value; return the success flag
	cmdStaticIncr = 5 // STATICCALL itself with cmdIncrement; return the success flag
	cmdStaticGet  = 6 // STATICCALL itself with cmdGet; return [value, success flag]
)

// counterTopic is the counter's log topic.
var counterTopic = keccak([]byte("Counted(uint256)"))

// counterStart is what the counter's constructor stores in slot 0.
const counterStart = 100

// counterRuntime is the counter's code.
func counterRuntime() []byte {
	p := evmasm.New()
	// cmd = calldata[0]
	p.PushInt(0).Op(evmasm.CALLDATALOAD).PushInt(0xf8).Op(evmasm.SHR)
	for _, c := range []struct {
		cmd   uint64
		label string
	}{{cmdIncrement, "inc"}, {cmdGet, "get"}, {cmdRevert, "revert"}, {cmdPay, "pay"}, {cmdStaticIncr, "sinc"}, {cmdStaticGet, "sget"}} {
		p.Op(evmasm.DUP1).PushInt(c.cmd).Op(evmasm.EQ).PushLabel(c.label).Op(evmasm.JUMPI)
	}
	p.PushInt(0).Op(evmasm.DUP1, evmasm.REVERT)

	p.Dest("inc").PushInt(0).Op(evmasm.SLOAD).PushInt(1).Op(evmasm.ADD, evmasm.DUP1).PushInt(0).Op(evmasm.SSTORE).
		PushInt(0).Op(evmasm.MSTORE).Push32(counterTopic).PushInt(32).PushInt(0).Op(evmasm.LOG1).
		PushInt(32).PushInt(0).Op(evmasm.RETURN)

	p.Dest("get").PushInt(0).Op(evmasm.SLOAD).PushInt(0).Op(evmasm.MSTORE).PushInt(32).PushInt(0).Op(evmasm.RETURN)

	p.Dest("revert").Push([]byte("nope")).PushInt(0).Op(evmasm.MSTORE).PushInt(4).PushInt(28).Op(evmasm.REVERT)

	// CALL(gas, to, value, in 0/0, out 0/0)
	p.Dest("pay").PushInt(0).PushInt(0).PushInt(0).PushInt(0).Op(evmasm.CALLVALUE).
		PushInt(1).Op(evmasm.CALLDATALOAD).PushInt(0x60).Op(evmasm.SHR).Op(evmasm.GAS, evmasm.CALL).
		PushInt(0).Op(evmasm.MSTORE).PushInt(32).PushInt(0).Op(evmasm.RETURN)

	// STATICCALL(gas, self, in mem[0..1] = cmdIncrement, out 0/0)
	p.Dest("sinc").PushInt(cmdIncrement).PushInt(0xf8).Op(evmasm.SHL).PushInt(0).Op(evmasm.MSTORE).
		PushInt(0).PushInt(0).PushInt(1).PushInt(0).Op(evmasm.ADDRESS, evmasm.GAS, evmasm.STATICCALL).
		PushInt(0).Op(evmasm.MSTORE).PushInt(32).PushInt(0).Op(evmasm.RETURN)

	// STATICCALL(gas, self, in mem[0..1] = cmdGet, out mem[0..32]); mem[32..64] = flag
	p.Dest("sget").PushInt(cmdGet).PushInt(0xf8).Op(evmasm.SHL).PushInt(0).Op(evmasm.MSTORE).
		PushInt(32).PushInt(0).PushInt(1).PushInt(0).Op(evmasm.ADDRESS, evmasm.GAS, evmasm.STATICCALL).
		PushInt(32).Op(evmasm.MSTORE).PushInt(64).PushInt(0).Op(evmasm.RETURN)
	b, err := p.Bytes()
	if err != nil {
		panic(err)
	}
	return b
}

// counterInit is the counter's init code: store counterStart in slot 0,
// then return the runtime.
func counterInit() []byte {
	b, err := evmasm.Deployer(evmasm.New().PushInt(counterStart).PushInt(0).Op(evmasm.SSTORE), counterRuntime())
	if err != nil {
		panic(err)
	}
	return b
}

// Factory commands.
const (
	cmdCreate  = 1 // CREATE a counter; return its address
	cmdCreate2 = 2 // CREATE2 a counter with the salt calldata[1:33]; return its address
)

// factoryRuntime deploys counters with CREATE and CREATE2 from the counter
// init code it carries at its end.
func factoryRuntime() []byte {
	child := counterInit()
	n := uint64(len(child))
	p := evmasm.New()
	p.PushInt(0).Op(evmasm.CALLDATALOAD).PushInt(0xf8).Op(evmasm.SHR)
	p.Op(evmasm.DUP1).PushInt(cmdCreate).Op(evmasm.EQ).PushLabel("create").Op(evmasm.JUMPI)
	p.Op(evmasm.DUP1).PushInt(cmdCreate2).Op(evmasm.EQ).PushLabel("create2").Op(evmasm.JUMPI)
	p.PushInt(0).Op(evmasm.DUP1, evmasm.REVERT)
	// CODECOPY(dest 0, child, n); CREATE(value 0, 0, n)
	p.Dest("create").PushInt(n).PushLabel("child").PushInt(0).Op(evmasm.CODECOPY).
		PushInt(n).PushInt(0).PushInt(0).Op(evmasm.CREATE).
		PushInt(0).Op(evmasm.MSTORE).PushInt(32).PushInt(0).Op(evmasm.RETURN)
	// CREATE2(value 0, 0, n, salt)
	p.Dest("create2").PushInt(n).PushLabel("child").PushInt(0).Op(evmasm.CODECOPY).
		PushInt(1).Op(evmasm.CALLDATALOAD).PushInt(n).PushInt(0).PushInt(0).Op(evmasm.CREATE2).
		PushInt(0).Op(evmasm.MSTORE).PushInt(32).PushInt(0).Op(evmasm.RETURN)
	p.Label("child").Data(child)
	b, err := p.Bytes()
	if err != nil {
		panic(err)
	}
	return b
}

func factoryInit() []byte {
	b, err := evmasm.Deployer(nil, factoryRuntime())
	if err != nil {
		panic(err)
	}
	return b
}

// keccak is keccak-256.
func keccak(parts ...[]byte) [32]byte {
	h := sha3.NewLegacyKeccak256()
	for _, p := range parts {
		h.Write(p)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// rlpAddressNonce is RLP([address, nonce]) (Ethereum yellow paper,
// Appendix B): the preimage of a CREATE address.
func rlpAddressNonce(addr [20]byte, nonce uint64) []byte {
	var n []byte
	switch {
	case nonce == 0:
		n = []byte{0x80}
	case nonce < 0x80:
		n = []byte{byte(nonce)}
	default:
		b := new(big.Int).SetUint64(nonce).Bytes()
		n = append([]byte{0x80 + byte(len(b))}, b...)
	}
	payload := append(append([]byte{0x80 + 20}, addr[:]...), n...)
	return append([]byte{0xc0 + byte(len(payload))}, payload...)
}

// createAddress is the CREATE address of a contract made by from at nonce:
// keccak(rlp([from, nonce]))[12:].
func createAddress(from [20]byte, nonce uint64) [20]byte {
	h := keccak(rlpAddressNonce(from, nonce))
	var out [20]byte
	copy(out[:], h[12:])
	return out
}

// create2Address is keccak(0xff ‖ from ‖ salt ‖ keccak(initcode))[12:]
// (EIP-1014).
func create2Address(from [20]byte, salt [32]byte, initcode []byte) [20]byte {
	ih := keccak(initcode)
	h := keccak([]byte{0xff}, from[:], salt[:], ih[:])
	var out [20]byte
	copy(out[:], h[12:])
	return out
}

// ethOfAccount is the stable Ethereum address the EAM derives for a
// native (f1/f3) account: the last 20 bytes of keccak over its key
// address bytes (actors/eam/src/lib.rs resolve_caller_external @v10.0.0).
func ethOfAccount(a address.Address) [20]byte {
	h := keccak(a.Bytes())
	var out [20]byte
	copy(out[:], h[12:])
	return out
}

// word is a 32-byte big-endian integer.
func word(v uint64) []byte {
	out := make([]byte, 32)
	new(big.Int).SetUint64(v).FillBytes(out)
	return out
}

// addressWord is an address left-padded to 32 bytes.
func addressWord(a [20]byte) []byte { return append(make([]byte, 12), a[:]...) }

func wordEq(b []byte, v uint64) bool { return bytes.Equal(b, word(v)) }
