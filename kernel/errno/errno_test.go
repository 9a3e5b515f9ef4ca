package errno

import (
	"errors"
	"fmt"
	"testing"
)

func TestNumbersMatchABI(t *testing.T) {
	// fvm-abi.md §2.1
	want := map[Number]uint32{IllegalArgument: 1, IllegalOperation: 2, LimitExceeded: 3,
		AssertionFailed: 4, InsufficientFunds: 5, NotFound: 6, InvalidHandle: 7, IllegalCid: 8,
		IllegalCodec: 9, Serialization: 10, Forbidden: 11, BufferTooSmall: 12, ReadOnly: 13}
	for n, v := range want {
		if uint32(n) != v {
			t.Errorf("%v = %d, want %d", n, n, v)
		}
	}
}

func TestOfWrapped(t *testing.T) {
	err := fmt.Errorf("opening block: %w", New(InvalidHandle, "id %d", 7))
	n, ok := Of(err)
	if !ok || n != InvalidHandle {
		t.Fatalf("Of = %v, %v", n, ok)
	}
	if !errors.Is(err, New(InvalidHandle, "")) || errors.Is(err, New(NotFound, "")) {
		t.Fatal("errors.Is matches on the number only")
	}
	if _, ok := Of(errors.New("fatal")); ok {
		t.Fatal("plain error has no number")
	}
	if s := Number(99).String(); s != "ErrorNumber(99)" {
		t.Fatal(s)
	}
}
