package kernel

import (
	"math/big"

	"github.com/filecoin-project/go-state-types/abi"

	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/rules"
	"github.com/gofvm/gofvm/syscalls"
	"github.com/gofvm/gofvm/tracing"
)

var _ syscalls.Kernel = (*invocationKernel)(nil)

// GasTracker is the message's tracker (shared by the whole call stack).
func (k *invocationKernel) GasTracker() *gas.Tracker { return k.cm.gas }

// PriceList is the network version's price list (the syscall wrapper reads
// OnSyscall from it).
func (k *invocationKernel) PriceList() *gas.PriceList { return k.cm.p }

// Rules are the machine's rules (the syscall layer reads the ABI's from them).
func (k *invocationKernel) Rules() *rules.Rules { return k.cm.rules }

var maxU128 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))

// tokenU128 enforces the TokenAmount struct range: a value outside u128 is
// fatal (fvm-abi.md §3.2 vm.context, network.total_fil_circ_supply).
func tokenU128(v abi.TokenAmount, what string) (abi.TokenAmount, error) {
	if v.Int == nil || v.Sign() < 0 || v.Int.Cmp(maxU128) > 0 {
		return abi.TokenAmount{}, fatalf("%s %s does not fit in u128", what, v)
	}
	return v, nil
}

// InvocationContext is nv17 vm.context.
func (k *invocationKernel) InvocationContext() (syscalls.InvocationContext, error) {
	v, err := tokenU128(k.value, "value received")
	if err != nil {
		return syscalls.InvocationContext{}, err
	}
	return syscalls.InvocationContext{ValueReceived: v, Caller: k.caller, Receiver: k.receiver,
		MethodNumber: k.method, NetworkCurrEpoch: k.cm.m.cfg.epoch, NetworkVersion: k.cm.rules.NetworkVersion}, nil
}

// MessageContext is nv18 vm.message_context (OnMessageContext, 0 gas).
func (k *invocationKernel) MessageContext() (syscalls.MessageContext, error) {
	if err := k.cm.charge(k.cm.p.OnMessageContext()); err != nil {
		return syscalls.MessageContext{}, err
	}
	v, err := tokenU128(k.value, "value received")
	if err != nil {
		return syscalls.MessageContext{}, err
	}
	var flags syscalls.SendFlags
	if k.readOnly {
		flags = syscalls.ReadOnly
	}
	return syscalls.MessageContext{Origin: k.cm.originID, Nonce: k.cm.nonce, Caller: k.caller,
		Receiver: k.receiver, MethodNumber: k.method, ValueReceived: v, GasPremium: k.cm.premium,
		Flags: flags}, nil
}

// GasAvailable is nv18 gas.available: remaining gas rounded down.
func (k *invocationKernel) GasAvailable() (uint64, error) {
	return uint64(k.cm.gas.Available().RoundDown()), nil
}

// ChargeGas is gas.charge: whole gas under the actor's name. With signed gas
// (v2) the amount is an i64 and a negative amount lowers usage; otherwise it
// is a u64, saturating (fvm-abi.md §3.2 gas).
func (k *invocationKernel) ChargeGas(name string, amount int64) error {
	g := gas.NewGas(amount)
	if !k.cm.p.Rules.SignedGas && amount < 0 { // u64 ≥ 2^63: saturates
		g = gas.NewGas(1 << 62).Mul(4)
	}
	return k.cm.gas.Apply(gas.Charge{Name: name, Compute: g})
}

// DebugEnabled reports actor debugging (off on mainnet).
func (k *invocationKernel) DebugEnabled() bool { return k.cm.m.cfg.debug }

// Log is debug.log (the syscalls layer skips it when debugging is off).
func (k *invocationKernel) Log(msg string) {
	if h := k.cm.m.cfg.hooks; h != nil && h.OnLog != nil {
		h.OnLog(tracing.Log{Message: msg})
	}
}

// StoreArtifact is debug.store_artifact: a no-op here (nothing is written).
func (k *invocationKernel) StoreArtifact(string, []byte) error { return nil }
