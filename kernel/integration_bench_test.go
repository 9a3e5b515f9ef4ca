package kernel_test

import (
	"fmt"
	"testing"

	"github.com/gofvm/gofvm/actors/testactors"
)

// BenchmarkIntegration applies tester messages on one machine: a nested send
// (two wasm instances) and the full call-depth recursion (1025 / 1024
// nested instances), per network version, with the compiler.
func BenchmarkIntegration(b *testing.B) {
	for _, nv := range bothNVs {
		for _, c := range []struct {
			name   string
			method uint64
			p      testactors.Params
		}{
			{"nested-send", testactors.MethodSend, testactors.Params{A: testactors.MethodReturn, To: idAddr(testactors.Tester2ID)}},
			{"call-depth", testactors.MethodRecurse, testactors.Params{}},
		} {
			b.Run(fmt.Sprintf("nv%d/%s", nv, c.name), func(b *testing.B) {
				w := newWorld(b, nv, compilerEngine)
				params := c.p.Encode()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					ret := w.apply(w.msg(w.g.Alice, idAddr(testactors.Tester1ID), abiM(c.method), 0, params, testactors.GasLimit))
					if ret.Receipt.ExitCode != 0 {
						b.Fatalf("exit %d: %s", ret.Receipt.ExitCode, ret.FailureInfo)
					}
				}
			})
		}
	}
}
