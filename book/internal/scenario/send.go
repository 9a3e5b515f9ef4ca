package scenario

import (
	"bytes"
	"errors"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/kernel"
)

// Account is a key account: its key, robust address and id (0 until it
// exists on chain).
type Account struct {
	Name string
	Key  *keys.Key
	// Addr is the address messages name it by: the key's f1/f3, or an f410
	// for Ethereum accounts.
	Addr address.Address
	ID   abi.ActorID
}

// NewAccount is an account that does not exist on chain yet.
func NewAccount(name string, k *keys.Key) *Account {
	return &Account{Name: name, Key: k, Addr: k.Address}
}

// Msg is a message to send. Nonce is filled from the sender's state unless
// SetNonce is true; GasLimit defaults to DefaultGasLimit.
type Msg struct {
	From     *Account
	To       address.Address
	Value    abi.TokenAmount
	Method   abi.MethodNum
	Params   []byte
	GasLimit int64
	Nonce    uint64
	SetNonce bool
}

// Fee parameters of every message: the fee cap is the chain's base fee
// (100 attoFIL) plus the premium, so every message pays the base fee and a
// tip of 1 attoFIL per gas unit.
var (
	DefaultGasLimit int64 = 10_000_000_000 // the block gas limit
	GasPremium            = big.NewInt(1)
)

// Ret is an applied message's outcome.
type Ret struct {
	*kernel.ApplyRet
	Msg *kernel.Message
	t   *T
	// Fee is what the sender paid for gas: base fee burn, over-estimation
	// burn and the miner tip (fvm-abi.md §7.4).
	Fee abi.TokenAmount
}

// Exit is the receipt's exit code.
func (r *Ret) Exit() exitcode.ExitCode { return r.Receipt.ExitCode }

// Return is the receipt's return bytes.
func (r *Ret) Return() []byte { return r.Receipt.Return }

// Expect fails the scenario unless the exit code is code.
func (r *Ret) Expect(code exitcode.ExitCode) *Ret {
	if r.Receipt.ExitCode != code {
		info := r.FailureInfo
		if len(info) > 600 {
			info = info[:600] + "…"
		}
		r.t.Fatalf("exit code %d, want %d (%s)", r.Receipt.ExitCode, code, info)
	}
	return r
}

// OK is Expect(exitcode.Ok).
func (r *Ret) OK() *Ret { return r.Expect(exitcode.Ok) }

// Decode decodes the return value.
func (r *Ret) Decode(v cbg.CBORUnmarshaler) {
	if err := v.UnmarshalCBOR(bytes.NewReader(r.Receipt.Return)); err != nil {
		r.t.Fatalf("decoding the return value as %T: %v", v, err)
	}
}

// Step names the next steps (in failures and in written vectors).
func (t *T) Step(name string) { t.step = name }

// Send applies m at the current epoch as step name and returns its outcome;
// a message the machine refuses to apply at all stops the scenario.
func (t *T) Send(name string, m Msg) *Ret {
	r, err := t.TrySend(name, m)
	if err != nil {
		t.Fatalf("the machine refused the message: %v", err)
	}
	return r
}

// TrySend is Send that returns the machine's refusal instead of stopping.
func (t *T) TrySend(name string, m Msg) (*Ret, error) {
	t.Step(name)
	g := t.group()
	msg, length, err := t.build(&m)
	if err != nil {
		t.Fatalf("building the message: %v", err)
	}
	ret, err := t.C.Apply(t.Ctx, msg, length, t.label())
	if err != nil {
		return nil, err
	}
	g.Messages++
	fee := big.Sum(ret.BaseFeeBurn, ret.OverEstimationBurn, ret.MinerTip)
	return &Ret{ApplyRet: ret, Msg: msg, t: t, Fee: fee}, nil
}

func (t *T) build(m *Msg) (*kernel.Message, int, error) {
	if m.From == nil {
		return nil, 0, errors.New("no sender")
	}
	value := m.Value
	if value.Int == nil {
		value = big.Zero()
	}
	limit := m.GasLimit
	if limit == 0 {
		limit = DefaultGasLimit
	}
	nonce := m.Nonce
	if !m.SetNonce {
		if a := t.Actor(m.From.Addr); a != nil {
			nonce = a.Nonce
		}
	}
	msg := &kernel.Message{To: m.To, From: m.From.Addr, Nonce: nonce, Value: value, Method: m.Method, Params: m.Params,
		GasLimit: limit, GasFeeCap: big.Add(t.C.BaseFee(), GasPremium), GasPremium: GasPremium}
	length, err := ChainLength(msg)
	return msg, length, err
}

// secpSignatureLen is r ‖ s ‖ v.
const secpSignatureLen = 65

// ChainLength is the length the inclusion charge is computed on
// (fvm-abi.md §7.1 step 2), by the rule the test-vector runner replays
// with (ref-fvm's conformance driver; vectors.ChainLength): a secp256k1
// sender named by its f1 address pays for the signed message [msg, sig] —
// the unsigned bytes plus a 65-byte signature, its type byte and 3 bytes of
// CBOR framing — every other sender for the unsigned message. Lotus would
// also count a signature for f0 and f4 senders; the book follows the
// runner so that every message it writes out replays bit for bit (it never
// asserts gas).
func ChainLength(msg *kernel.Message) (int, error) {
	raw, err := msg.Bytes()
	if err != nil {
		return 0, err
	}
	if msg.From.Protocol() == address.SECP256K1 {
		return len(raw) + secpSignatureLen + 1 + 3, nil
	}
	return len(raw), nil
}
