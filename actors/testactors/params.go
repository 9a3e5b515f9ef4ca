package testactors

import (
	"encoding/binary"

	"github.com/filecoin-project/go-address"
)

// Tester methods (wat/tester.wat.in).
const (
	MethodConstructor  = 1
	MethodReturn       = 2  // returns the DAG-CBOR text "abc" (0x63616263)
	MethodExit         = 3  // exits with Params.Code, with data if Params.WithData (nv18)
	MethodBadReturn    = 4  // returns block id 77, which does not exist
	MethodSend         = 5  // sends Params.Value to Params.To, method Params.A, forwarding its params
	MethodRecurse      = 6  // self-sends method 6 until a send fails
	MethodLoop         = 7  // loops forever
	MethodUnreachable  = 8  // traps: unreachable
	MethodDivZero      = 9  // traps: integer division by zero (call without params)
	MethodOOB          = 10 // traps: out-of-bounds load
	MethodStack        = 11 // traps: unbounded recursion hits the wasm stack limit
	MethodGrow         = 12 // memory.grow(Params.A); returns Result(grow's answer, 0)
	MethodBlocks       = 13 // block create/link/set_root/open; returns the opened block
	MethodEvent        = 14 // nv18: emit_event; returns Result(errno, 0)
	MethodHostile      = 15 // garbage to the syscalls; returns the error numbers
	MethodCreate       = 16 // create_actor(id Params.A, code of type Params.B); Result(errno create, errno address)
	MethodExitBadBlk   = 17 // exits with Params.Code and block id 999 (not in the registry)
	MethodSendLimited  = 18 // self-sends method Params.A; nv18: gas limit Params.B (0 = none), flags Params.Code
	MethodGrowRecurse  = 19 // grows Params.A pages, then self-sends method 19; Result(frames, why)
	MethodGrowSeq      = 20 // Params.B self-sends of method 12 in a row; Result(children grown, why)
	MethodDestruct     = 21 // self_destruct(Params.To if WithData, else Bob), then root/set_root/balance; see DestructResult
	MethodBigBlock     = 22 // grows 17 pages, block_create(codec Params.B, a Params.A-byte CBOR byte string, Params.A ≥ 5); Result(errno, 0)
	MethodOpenCode     = 23 // block_open of actor Params.A's code CID; Result(errno, size)
	MethodVerify       = 24 // verify_signature(type Params.B, 65 zero bytes, signer Params.To, "\x63abc"); Result(errno, answer)
	MethodTipsetCid    = 25 // nv18: tipset_cid(epoch int32(Params.A), buffer length Params.B); Result(errno, length)
	MethodReadOnlySend = 26 // nv18: read-only send of Params.B attoFIL, method 0, to Params.To; Result(errno, exit)
	MethodRandomness   = 27 // get_chain_randomness(tag Params.A, epoch Params.B, entropy "\x63abc"); 32 bytes, or Result(errno, 0)
	MethodRead         = 28 // block_read(params block, offset Params.A, max_len Params.B); Result(errno, answer)
	MethodSendTwice    = 29 // sends method Params.A to Params.To twice, forwarding the params; Result(errno1<<16|exit1, errno2<<16|exit2)
	MethodHash         = 30 // crypto.hash(code Params.A, "\x63abc", digest length Params.B ≤ 64); the digest, or Result(errno, 0)
	MethodAddresses    = 31 // f2 address, create_actor(id Params.A, type Params.B) if B ≠ 0, f2 address; both, or Result(errnos)
	MethodDelegated    = 32 // nv18: lookup_delegated_address(Params.A, buffer Params.B) and balance_of(Params.A); see DelegatedResult
	MethodEventOf      = 33 // nv18: emit_event of a built event (kind Params.A, parameter Params.B; wat/tester.wat.in); Result(errno, length)
	MethodContext      = 34 // returns the raw InvocationContext (nv17, 52 bytes) / MessageContext (nv18, 80 bytes)
	MethodNetwork      = 35 // returns base_fee ‖ circ supply (nv17, 32 bytes) / NetworkContext ‖ circ supply (nv18, 60 bytes)
	MethodActorType    = 36 // resolve_address(Params.To) → code CID → builtin type; Result(errno resolve<<8 | errno code, type)
	MethodLink         = 37 // block_link of a new 4-byte block into a CID buffer of Params.A bytes; Result(errno, length)
	MethodParamsStat   = 38 // Result(codec, size) of its params block (0, 0 without)
	MethodCharge       = 39 // gas.charge("a", int32(Params.A) × 1,000,000 gas); Result(errno, 0)
)

// DelegatedResult is what MethodDelegated returns: the DAG-CBOR byte string
// [errno lookup, address length, errno balance, balance lo u64le, hi u64le,
// address bytes].
func DelegatedResult(errLookup, errBalance byte, balance [16]byte, addr []byte) []byte {
	out := []byte{0x58, byte(19 + len(addr)), errLookup, byte(len(addr)), errBalance}
	out = append(out, balance[:]...)
	return append(out, addr...)
}

// DestructResult is what MethodDestruct returns: the DAG-CBOR byte string of
// the error numbers of self_destruct, root, set_root and current_balance,
// then 1 if the balance read 0.
func DestructResult(destruct, root, setRoot, balance byte, zero bool) []byte {
	z := byte(0)
	if zero {
		z = 1
	}
	return []byte{0x45, destruct, root, setRoot, balance, z}
}

// ReturnABC is what MethodReturn (and MethodBlocks) return: DAG-CBOR "abc".
var ReturnABC = []byte{0x63, 'a', 'b', 'c'}

// Params is the tester's 44-byte payload, sent as a DAG-CBOR byte string.
type Params struct {
	A, B, Code uint32
	WithData   bool
	To         address.Address // ≤ 22 bytes
}

// Encode is 0x58 0x2c ‖ a ‖ b ‖ len(to) ‖ code ‖ withData ‖ to, padded.
func (p Params) Encode() []byte {
	out := make([]byte, 46)
	out[0], out[1] = 0x58, 44
	binary.LittleEndian.PutUint32(out[2:], p.A)
	binary.LittleEndian.PutUint32(out[6:], p.B)
	var to []byte
	if p.To != address.Undef {
		to = p.To.Bytes()
	}
	if len(to) > 22 {
		panic("testactors: address too long for the tester's params")
	}
	binary.LittleEndian.PutUint32(out[10:], uint32(len(to)))
	binary.LittleEndian.PutUint32(out[14:], p.Code)
	if p.WithData {
		out[18] = 1
	}
	copy(out[22:], to)
	return out
}

// Result is the tester's 9-byte result block 0x48 ‖ x u32le ‖ y u32le.
func Result(x, y uint32) []byte {
	out := make([]byte, 9)
	out[0] = 0x48
	binary.LittleEndian.PutUint32(out[1:], x)
	binary.LittleEndian.PutUint32(out[5:], y)
	return out
}
