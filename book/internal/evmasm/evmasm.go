// Package evmasm assembles small EVM programs written by hand in Go: opcodes,
// minimal PUSHes, labels resolved to 2-byte jump targets, and raw data.
// The opcode values are the Ethereum yellow paper's (Appendix H).
package evmasm

import (
	"fmt"
	"math/big"
)

// Opcodes the book's contracts use.
const (
	STOP         = 0x00
	ADD          = 0x01
	SUB          = 0x03
	EQ           = 0x14
	ISZERO       = 0x15
	SHL          = 0x1b
	SHR          = 0x1c
	ADDRESS      = 0x30
	CALLVALUE    = 0x34
	CALLDATALOAD = 0x35
	CALLDATASIZE = 0x36
	CODECOPY     = 0x39
	POP          = 0x50
	MLOAD        = 0x51
	MSTORE       = 0x52
	SLOAD        = 0x54
	SSTORE       = 0x55
	JUMP         = 0x56
	JUMPI        = 0x57
	GAS          = 0x5a
	JUMPDEST     = 0x5b
	PUSH1        = 0x60
	PUSH2        = 0x61
	PUSH32       = 0x7f
	DUP1         = 0x80
	SWAP1        = 0x90
	LOG1         = 0xa1
	CREATE       = 0xf0
	CALL         = 0xf1
	RETURN       = 0xf3
	CREATE2      = 0xf5
	STATICCALL   = 0xfa
	REVERT       = 0xfd
)

// Program is code being assembled.
type Program struct {
	code   []byte
	labels map[string]int
	refs   []ref
}

type ref struct {
	at    int // where the 2-byte target goes
	label string
}

// New starts an empty program.
func New() *Program { return &Program{labels: map[string]int{}} }

// Op appends opcodes.
func (p *Program) Op(ops ...byte) *Program {
	p.code = append(p.code, ops...)
	return p
}

// Push appends the shortest PUSH of v (1 to 32 bytes; PUSH1 0 for empty).
func (p *Program) Push(v []byte) *Program {
	for len(v) > 1 && v[0] == 0 {
		v = v[1:]
	}
	if len(v) == 0 {
		v = []byte{0}
	}
	if len(v) > 32 {
		panic("evmasm: push of more than 32 bytes")
	}
	p.code = append(p.code, byte(PUSH1+len(v)-1))
	p.code = append(p.code, v...)
	return p
}

// PushInt pushes an unsigned integer.
func (p *Program) PushInt(v uint64) *Program { return p.Push(new(big.Int).SetUint64(v).Bytes()) }

// Push32 pushes exactly 32 bytes (PUSH32).
func (p *Program) Push32(v [32]byte) *Program {
	p.code = append(p.code, PUSH32)
	p.code = append(p.code, v[:]...)
	return p
}

// PushLabel pushes a label's position as PUSH2 (resolved by Bytes).
func (p *Program) PushLabel(name string) *Program {
	p.code = append(p.code, PUSH2)
	p.refs = append(p.refs, ref{at: len(p.code), label: name})
	p.code = append(p.code, 0, 0)
	return p
}

// Label marks the current position; Dest also writes a JUMPDEST there.
func (p *Program) Label(name string) *Program {
	if _, dup := p.labels[name]; dup {
		panic("evmasm: label " + name + " defined twice")
	}
	p.labels[name] = len(p.code)
	return p
}

// Dest is a jump destination: a label and a JUMPDEST.
func (p *Program) Dest(name string) *Program { return p.Label(name).Op(JUMPDEST) }

// Data appends raw bytes.
func (p *Program) Data(b []byte) *Program {
	p.code = append(p.code, b...)
	return p
}

// Len is the current length.
func (p *Program) Len() int { return len(p.code) }

// Bytes resolves the labels and returns the code.
func (p *Program) Bytes() ([]byte, error) {
	out := append([]byte(nil), p.code...)
	for _, r := range p.refs {
		pos, ok := p.labels[r.label]
		if !ok {
			return nil, fmt.Errorf("evmasm: undefined label %q", r.label)
		}
		if pos > 0xffff {
			return nil, fmt.Errorf("evmasm: label %q at %d does not fit PUSH2", r.label, pos)
		}
		out[r.at], out[r.at+1] = byte(pos>>8), byte(pos)
	}
	return out, nil
}

// Deployer is init code that returns runtime as the contract's code, after
// running prologue (e.g. storage set by the constructor):
//
//	prologue; PUSH2 len; PUSH2 off; PUSH1 0; CODECOPY; PUSH2 len; PUSH1 0; RETURN; runtime
func Deployer(prologue *Program, runtime []byte) ([]byte, error) {
	p := New()
	if prologue != nil {
		pre, err := prologue.Bytes()
		if err != nil {
			return nil, err
		}
		p.Data(pre)
	}
	n := uint64(len(runtime))
	p.Op(PUSH2, byte(n>>8), byte(n)).PushLabel("runtime").PushInt(0).Op(CODECOPY).
		Op(PUSH2, byte(n>>8), byte(n)).PushInt(0).Op(RETURN).Label("runtime").Data(runtime)
	return p.Bytes()
}
