package kernel

import (
	"context"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
)

// ChainMessage is what a chain client applies: the unsigned message and the
// length the inclusion charge is computed from (Lotus's types.ChainMsg:
// VMMessage and ChainLength).
type ChainMessage interface {
	VMMessage() *Message
	// ChainLength is the serialized signed message length, except for BLS
	// messages, whose unsigned length is used (fvm-abi.md §7.1).
	ChainLength() int
}

// VMMessage makes *Message a ChainMessage (for BLS-signed messages, whose
// chain length is the unsigned length).
func (m *Message) VMMessage() *Message { return m }

// ChainLength is the length of the unsigned CBOR message (0 if it cannot be
// encoded).
func (m *Message) ChainLength() int {
	b, err := m.Bytes()
	if err != nil {
		return 0
	}
	return len(b)
}

// SignedChainMessage pairs a message with the length of its signed form
// (secp256k1 and, at nv18, delegated signatures).
type SignedChainMessage struct {
	Message      *Message
	SignedLength int
}

// VMMessage is the unsigned message.
func (s SignedChainMessage) VMMessage() *Message { return s.Message }

// ChainLength is the signed length.
func (s SignedChainMessage) ChainLength() int { return s.SignedLength }

// VM is the client-facing interface, shaped like Lotus's vm.Interface so a
// Go client can swap gofvm in: apply explicit messages, then implicit ones
// (cron, reward), then flush.
type VM interface {
	ApplyMessage(ctx context.Context, msg ChainMessage) (*ApplyRet, error)
	ApplyImplicitMessage(ctx context.Context, msg *Message) (*ApplyRet, error)
	Flush(ctx context.Context) (cid.Cid, error)
}

type vm struct {
	m *Machine
	e *Executor
}

// NewVM builds a Machine at root for nv (16–28) and returns it as a VM.
func NewVM(ctx context.Context, bs Blockstore, root cid.Cid, nv network.Version, opts ...Option) (VM, error) {
	m, err := NewMachine(ctx, bs, root, nv, opts...)
	if err != nil {
		return nil, err
	}
	return &vm{m: m, e: NewExecutor(m)}, nil
}

func (v *vm) ApplyMessage(ctx context.Context, msg ChainMessage) (*ApplyRet, error) {
	return v.e.ApplyMessage(ctx, msg.VMMessage(), msg.ChainLength())
}

func (v *vm) ApplyImplicitMessage(ctx context.Context, msg *Message) (*ApplyRet, error) {
	if msg != nil && msg.GasLimit == 0 {
		c := *msg
		c.GasLimit = ImplicitGasLimit // as Lotus does (fvm-abi.md §7.5)
		msg = &c
	}
	return v.e.ApplyImplicitMessage(ctx, msg)
}

func (v *vm) Flush(ctx context.Context) (cid.Cid, error) { return v.m.Flush(ctx) }

// ApplyOne builds a machine at root, applies one explicit message given as
// its CBOR bytes, and flushes: what a test-vector runner does per vector.
// An error means the message could not be applied at all (a client error
// in the reference) or the flush failed.
func ApplyOne(ctx context.Context, bs Blockstore, root cid.Cid, nv network.Version, msgBytes []byte,
	chainLength int, opts ...Option) (*ApplyRet, cid.Cid, error) {
	msg, err := DecodeMessage(msgBytes)
	if err != nil {
		return nil, cid.Undef, err
	}
	m, err := NewMachine(ctx, bs, root, nv, opts...)
	if err != nil {
		return nil, cid.Undef, err
	}
	ret, err := NewExecutor(m).ApplyMessage(ctx, msg, chainLength)
	if err != nil {
		return nil, cid.Undef, err
	}
	post, err := m.Flush(ctx)
	if err != nil {
		return nil, cid.Undef, err
	}
	return ret, post, nil
}
