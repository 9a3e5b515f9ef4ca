package syscalls

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/gofvm/gofvm/kernel/errno"
	"github.com/gofvm/gofvm/kernel/gas"
)

// FuzzHostileActor drives one syscall of any ABI, from wasm, with
// fuzz-chosen pointers, lengths, handles, codecs and memory contents (CIDs,
// addresses, CBOR), and a kernel that succeeds or fails as the input says.
// Whatever the input: no Go panic, no trap, no fatal unless the kernel
// returned one, exactly one OnSyscall charged, nothing written outside
// memory. Run with: go test -run XXX -fuzz FuzzHostileActor ./syscalls/
func FuzzHostileActor(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add(append([]byte{2, 5, 0, 0, 0, 0, 0}, testCID.Bytes()...))
	f.Add(append([]byte{3, 30, 1, 1, 1, 1, 1, 1, 1}, cborSeal(f)...))
	f.Add([]byte{1, 33, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6})
	f.Add([]byte{0, 20, 0x81, 0x82, 0x19, 0x08, 0x00, 0xd8, 0x2a, 0x58, 0x27, 0x00, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 {
			return
		}
		engine, nv := int(data[0]&1), networkVersions[int(data[0]>>1)%len(networkVersions)]
		ims, _ := Imports(nv)
		im := ims[int(data[1])%len(ims)]
		kernelErr := data[2] % 8
		data = data[3:]

		h := newHarness(t, engine, nv)
		h.k.noCalls = data != nil && len(data)%2 == 0 // exercise both fake paths
		h.k.cid, h.k.addr, h.k.token = testCID, &f4Addr, tokenHL(uint64(len(data)), 5)
		if im.Name == "new_actor_address" || im.Name == "next_actor_address" {
			h.k.addr = &f2Addr // a kernel producing a longer address is fatal, as in the reference
		}
		h.k.digest, h.k.block, h.k.debug = make([]byte, 64), data, kernelErr&1 == 1
		var wantFatal, wantOOG bool
		switch kernelErr {
		case 2:
			h.k.err = errno.New(errno.Number(1+len(data)%13), "fuzz")
		case 3:
			h.k.err, wantOOG = gas.ErrOutOfGas, true
		case 4:
			h.k.err, wantFatal = errors.New("fuzz fatal"), true
		}

		args := make([]uint64, len(im.Params))
		for i := range args {
			var class, v byte
			if len(data) >= 2 {
				class, v, data = data[0], data[1], data[2:]
			}
			switch class % 8 {
			case 0:
				args[i] = uint64(v)
			case 1:
				args[i] = memSize - uint64(v)
			case 2:
				args[i] = memSize + uint64(v)
			case 3:
				args[i] = A + uint64(v)
			case 4:
				args[i] = 0xffffffff - uint64(v)
			case 5:
				args[i] = ^uint64(v)
			case 6:
				if len(data) >= 8 {
					args[i], data = binary.LittleEndian.Uint64(data), data[8:]
				}
			case 7:
				args[i] = 0x7fffffff - uint64(v)
			}
			if im.Params[i] == i32 {
				args[i] = uint64(uint32(args[i]))
			}
		}
		if len(data) > 0 { // the rest is memory content at A and at the end of memory
			h.write(A, data[:min(len(data), 4096)])
			tail := data[:min(len(data), 128)]
			h.write(memSize-uint32(len(tail)), tail)
		}

		_, out := h.call(im.Module+"."+im.Name, args...)
		switch out.Kind {
		case Returned:
		case Aborted:
			if im.Name != "abort" && im.Name != "exit" {
				t.Fatalf("%s.%s aborted", im.Module, im.Name)
			}
		case OutOfGas:
			if !wantOOG {
				t.Fatalf("%s.%s: unexpected out of gas", im.Module, im.Name)
			}
			return
		case Fatal:
			if !wantFatal {
				t.Fatalf("%s.%s(%v): fatal %v", im.Module, im.Name, args, out.Err)
			}
			return
		default:
			t.Fatalf("%s.%s(%v): %v %q", im.Module, im.Name, args, out.Kind, out.Message)
		}
		if h.k.tracker.Used() != syscallGas {
			t.Fatalf("%s.%s: used %d", im.Module, im.Name, h.k.tracker.Used())
		}
	})
}
