package kernel_test

import (
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/tracing"
)

// The charge checks of the integration tests watch the gas charges through
// the tracing hooks (names and milligas as in fvm-gas.md §2; only their sum
// is consensus, the order is the reference's).

// chargeLog applies one message from Alice on a fresh world with tracing
// hooks and returns the charges in order.
func chargeLog(t *testing.T, nv network.Version, to abi.ActorID, method uint64, p []byte) ([]tracing.GasCharge, *kernel.ApplyRet) {
	t.Helper()
	var log []tracing.GasCharge
	w := newWorld(t, nv, compilerEngine, kernel.WithHooks(&tracing.Hooks{
		OnGasCharge: func(c tracing.GasCharge) { log = append(log, c) },
	}))
	ret := w.apply(w.msg(w.g.Alice, idAddr(to), abiM(method), 0, p, 1_000_000_000))
	return log, ret
}

// named returns the charges with the given name, in order.
func named(log []tracing.GasCharge, name string) []int64 {
	var out []int64
	for _, c := range log {
		if c.Name == name {
			out = append(out, c.TotalMilli())
		}
	}
	return out
}

func indexOf(log []tracing.GasCharge, name string) int {
	for i, c := range log {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func around(log []tracing.GasCharge, i int) []tracing.GasCharge {
	if i < 0 {
		return log
	}
	lo, hi := max(i-2, 0), min(i+4, len(log))
	return log[lo:hi]
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
