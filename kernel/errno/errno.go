package errno

import (
	"errors"
	"fmt"
)

// Number is a syscall result code (fvm-abi.md §2.1). 0 is success.
type Number uint32

// The error numbers of both ABIs. ReadOnly exists only from nv18 (FVM v3).
const (
	IllegalArgument   Number = 1
	IllegalOperation  Number = 2
	LimitExceeded     Number = 3
	AssertionFailed   Number = 4
	InsufficientFunds Number = 5
	NotFound          Number = 6
	InvalidHandle     Number = 7
	IllegalCid        Number = 8
	IllegalCodec      Number = 9
	Serialization     Number = 10
	Forbidden         Number = 11
	BufferTooSmall    Number = 12
	ReadOnly          Number = 13
)

var names = [...]string{
	"Success", "IllegalArgument", "IllegalOperation", "LimitExceeded", "AssertionFailed",
	"InsufficientFunds", "NotFound", "InvalidHandle", "IllegalCid", "IllegalCodec",
	"Serialization", "Forbidden", "BufferTooSmall", "ReadOnly",
}

func (n Number) String() string {
	if int(n) < len(names) {
		return names[n]
	}
	return fmt.Sprintf("ErrorNumber(%d)", uint32(n))
}

// Error is a syscall error: the number returned to the actor plus a message
// kept only for diagnostics (it never reaches consensus data).
type Error struct {
	Number Number
	Msg    string
}

func (e *Error) Error() string {
	if e.Msg == "" {
		return e.Number.String()
	}
	return e.Number.String() + ": " + e.Msg
}

// Is makes errors.Is(err, errno.New(n, "")) match on the number alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Number == e.Number
}

// New returns an *Error with a formatted diagnostic message.
func New(n Number, format string, args ...any) *Error {
	if len(args) == 0 {
		return &Error{Number: n, Msg: format}
	}
	return &Error{Number: n, Msg: fmt.Sprintf(format, args...)}
}

// Of reports the error number carried by err (anywhere in its chain).
// Errors without one are not syscall errors: they are out-of-gas or fatal,
// which the caller classifies.
func Of(err error) (Number, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Number, true
	}
	return 0, false
}
