package evmasm

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// Hand-assembled expectations (opcode values from the yellow paper).
func TestAssemble(t *testing.T) {
	p := New().PushInt(0).Op(CALLDATALOAD).PushLabel("end").Op(JUMP).PushInt(0x1234).Dest("end").Op(STOP)
	got, err := p.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	// 60 00 | 35 | 61 000a | 56 | 61 1234 | 5b 00: "end" is at byte 10.
	want, _ := hex.DecodeString("60003561000a566112345b00")
	if !bytes.Equal(got, want) {
		t.Fatalf("got %x, want %x", got, want)
	}
	if _, err := New().PushLabel("nowhere").Bytes(); err == nil {
		t.Fatal("an undefined label assembled")
	}
	if b, _ := New().Push([]byte{0, 0, 7}).Bytes(); !bytes.Equal(b, []byte{0x60, 7}) {
		t.Fatalf("minimal push %x", b)
	}
}

// The deployer copies the runtime after itself and returns it.
func TestDeployer(t *testing.T) {
	code, err := Deployer(nil, []byte{0xaa, 0xbb})
	if err != nil {
		t.Fatal(err)
	}
	// 61 0002 | 61 000f | 60 00 | 39 | 61 0002 | 60 00 | f3 | aa bb: 3+3+2+1+3+2+1
	// bytes before the runtime, which starts at 15.
	want, _ := hex.DecodeString("610002" + "61000f" + "6000" + "39" + "610002" + "6000" + "f3" + "aabb")
	if !bytes.Equal(code, want) {
		t.Fatalf("got %x, want %x", code, want)
	}
}
