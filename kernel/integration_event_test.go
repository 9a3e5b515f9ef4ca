package kernel_test

import (
	"bytes"
	"testing"

	"github.com/gofvm/gofvm/actors/testactors"
)

// emit_event's charges (nv18, fvm-abi.md §3.2 event, fvm-gas.md §2.2), in
// milligas: the tester's 9-byte event pays OnActorEventValidate 1,750 +
// 27.4 × 9 = 1,996.6 gas, then OnActorEventAccept 15.2 × (9 + 12) = 319.2;
// MethodHostile's 4-byte non-event pays validation (1,750 + 27.4 × 4 =
// 1,859.6) and is refused before acceptance; a read-only emit is refused
// before either charge.
func TestIntegrationEventCharges(t *testing.T) {
	nv := bothNVs[1]
	for _, c := range []struct {
		name             string
		method           uint64
		p                []byte
		validate, accept []int64
	}{
		{"event", testactors.MethodEvent, nil, []int64{1_996_600}, []int64{319_200}},
		{"hostile", testactors.MethodHostile, nil, []int64{1_859_600}, nil},
		{"read-only", testactors.MethodSendLimited, testactors.Params{A: testactors.MethodEvent, Code: 1}.Encode(), nil, nil},
	} {
		log, ret := chargeLog(t, nv, testactors.Tester1ID, c.method, c.p)
		if ret.Receipt.ExitCode != 0 {
			t.Fatalf("%s: exit %d", c.name, ret.Receipt.ExitCode)
		}
		if got := named(log, "OnActorEventValidate"); !equalInts(got, c.validate) {
			t.Errorf("%s: OnActorEventValidate %v, want %v", c.name, got, c.validate)
		}
		if got := named(log, "OnActorEventAccept"); !equalInts(got, c.accept) {
			t.Errorf("%s: OnActorEventAccept %v, want %v", c.name, got, c.accept)
		}
	}
}

// emit_event's charges on the limit cases (nv18, fvm-gas.md §2.2): every
// event pays OnActorEventValidate 1,750 + 27.4·len before it is decoded;
// only accepted ones pay OnActorEventAccept 15.2·(len + 12). E.g. 256
// entries, len 1,795: 50,933 and 27,466.4 gas; 257 entries, len 1,802:
// 51,124.8 and nothing; values of 8,192 bytes, len 8,202: 226,484.8 and
// 124,852.8.
func TestIntegrationEventLimitCharges(t *testing.T) {
	for _, c := range testactors.EventLimitCases {
		log, ret := chargeLog(t, bothNVs[1], testactors.Tester1ID, testactors.MethodEventOf,
			testactors.Params{A: c.Kind, B: c.Param}.Encode())
		if !bytes.Equal(ret.Receipt.Return, testactors.Result(c.Errno, c.Len)) {
			t.Fatalf("%s: return %x, want %x", c.Name, ret.Receipt.Return, testactors.Result(c.Errno, c.Len))
		}
		n := int64(c.Len)
		validate := []int64{1_750_000 + 27_400*n}
		var accept []int64
		if c.Errno == 0 {
			accept = []int64{15_200 * (n + 12)}
		}
		if got := named(log, "OnActorEventValidate"); !equalInts(got, validate) {
			t.Errorf("%s: OnActorEventValidate %v, want %v", c.Name, got, validate)
		}
		if got := named(log, "OnActorEventAccept"); !equalInts(got, accept) {
			t.Errorf("%s: OnActorEventAccept %v, want %v", c.Name, got, accept)
		}
	}
}
