package kernel_test

import (
	"testing"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/actors/testactors"
)

// FuzzIntegrationTester sends arbitrary methods, params and values to the
// tester through the full kernel: applying never fails with a client error,
// never panics, the exit code is one the FVM or the tester can produce, and
// the machine then still applies a plain transfer with its hand gas.
func FuzzIntegrationTester(f *testing.F) {
	f.Add(false, uint8(2), []byte(nil), uint32(0))
	f.Add(true, uint8(5), testactors.Params{A: 2, B: 5, To: idAddr(testactors.Tester2ID)}.Encode(), uint32(1))
	f.Add(true, uint8(15), []byte{0x58, 0x2c}, uint32(0))
	f.Add(false, uint8(16), testactors.Params{A: 600, B: 3}.Encode(), uint32(0))
	f.Add(true, uint8(3), testactors.Params{Code: 3}.Encode(), uint32(7))
	allowed := map[uint32]bool{0: true, 4: true, 6: true, 7: true, 9: true, 10: true, 11: true, 20: true, 22: true}
	f.Fuzz(func(t *testing.T, nv18 bool, method uint8, params []byte, value uint32) {
		if method == testactors.MethodRecurse || len(params) > 256 {
			return // the full call-depth recursion is too slow for fuzzing; covered by the scenarios
		}
		nv := network.Version17
		if nv18 {
			nv = network.Version18
		}
		if method == testactors.MethodGrow && !nv18 && len(params) > 2 {
			// nv17 has no memory limit and memory.grow is free (fvm-gas.md
			// §2): a grow by up to 65,535 pages would commit 4 GiB here.
			return
		}
		w := newWorld(t, nv, interpreterEngine)
		ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.Tester1ID), abiM(uint64(method)), int64(value), params, 20_000_000))
		if c := uint32(ret.Receipt.ExitCode); !allowed[c] && c < 16 {
			t.Errorf("method %d params %x: exit %d (%s)", method, params, c, ret.FailureInfo)
		}
		w.followUp()
	})
}
