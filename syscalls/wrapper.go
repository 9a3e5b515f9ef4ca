package syscalls

import (
	"context"
	"errors"
	"fmt"

	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// The host-function wrapper of fvm-abi.md §1.3. Every syscall body is
// written as
//
//	inv := enter(ctx, retPtr, size) // steps 1–3
//	if inv == nil { stack[0] = IllegalArgument; return } // bad ret_ptr
//	… body (memory helpers, kernel call, write-back) …
//	stack[0] = inv.finish(err)      // steps 4 and 6
//
// Out-of-gas and fatal errors unwind the wasm call by panicking with a
// *hostTrap, which wazero hands back from Call wrapped in an error and
// Invoke classifies.

type trapKind uint8

const (
	trapExit trapKind = iota + 1
	trapOutOfGas
	trapFatal
)

// hostTrap is the internal value a host function panics with to end the
// invocation. It is an error so that wazero wraps it with %w and Invoke can
// find it with errors.As.
type hostTrap struct {
	kind trapKind
	code exitcode.ExitCode
	blk  uint32
	msg  string
	err  error
}

func (t *hostTrap) Error() string {
	switch t.kind {
	case trapExit:
		return fmt.Sprintf("actor exit %d: %s", t.code, t.msg)
	case trapOutOfGas:
		return "out of gas"
	}
	return "fatal: " + t.err.Error()
}

func (t *hostTrap) Unwrap() error { return t.err }

// trapFor turns a kernel error that is not a syscall error into the trap
// that ends the invocation.
func trapFor(err error) *hostTrap {
	if errors.Is(err, gas.ErrOutOfGas) {
		return &hostTrap{kind: trapOutOfGas, err: gas.ErrOutOfGas}
	}
	return &hostTrap{kind: trapFatal, err: err}
}

// errNoInvocation is fatal: an actor export was called outside Invoke.
var errNoInvocation = errors.New("syscall outside an invocation")

// enter performs steps 1–3 of fvm-abi.md §1.3. size is the byte size of the
// returned value (0 for syscalls without ret_ptr). It returns nil when the
// return pointer is out of bounds: the caller must return IllegalArgument
// without re-syncing the gas global (the reference's early return).
//
// An out-of-gas or fatal failure of the exec or OnSyscall charge traps
// immediately without re-syncing either (the reference returns with `?`
// before update_gas_available; fvm/src/syscalls/bind.rs @fvm@v3.1.0).
func enter(ctx context.Context, retPtr uint32, size uint32) *Invocation {
	inv := fromContext(ctx)
	if inv == nil {
		panic(&hostTrap{kind: trapFatal, err: errNoInvocation})
	}
	if err := inv.chargeForExec(); err != nil {
		panic(trapFor(err))
	}
	if err := inv.k.GasTracker().Apply(inv.onSyscall); err != nil {
		panic(trapFor(err))
	}
	if size != 0 && uint64(retPtr)+uint64(size) > uint64(inv.mem.Size()) {
		inv.lastErr = errBadRetPtr
		return nil
	}
	return inv
}

var errBadRetPtr = errno.New(errno.IllegalArgument, "no space for return value")

// finish performs steps 4 and 6: it records the error, re-syncs the gas
// global and returns the error number, or traps after the re-sync for
// out-of-gas and fatal errors.
func (inv *Invocation) finish(err error) uint64 {
	var n errno.Number
	if err != nil {
		var ok bool
		// Out of gas anywhere in the chain wins over a syscall error number
		// (the Kernel error contract).
		if n, ok = errno.Of(err); !ok || n == 0 || errors.Is(err, gas.ErrOutOfGas) {
			if ok && n == 0 { // an errno.Error with number 0 is a kernel bug
				err = fmt.Errorf("syscall error with number 0: %w", err)
			}
			inv.updateGasAvailable()
			panic(trapFor(err))
		}
	}
	inv.lastErr = err
	inv.updateGasAvailable()
	return uint64(n)
}

// exit ends the invocation from vm.abort / vm.exit after the re-sync
// (fvm-abi.md §1.3 step 5). It never records a "last error".
func (inv *Invocation) exit(code exitcode.ExitCode, blk uint32, msg string) {
	inv.updateGasAvailable()
	panic(&hostTrap{kind: trapExit, code: code, blk: blk, msg: msg})
}

// fatal traps with a fatal error after the re-sync (for failures the ABI
// layer itself detects, e.g. a token amount above u128).
func (inv *Invocation) fatal(err error) {
	inv.updateGasAvailable()
	panic(&hostTrap{kind: trapFatal, err: err})
}
