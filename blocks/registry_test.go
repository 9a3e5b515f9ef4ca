package blocks

import (
	"testing"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
)

// The registry sets of fvm-abi.md §4.1: FVM v2 holds DAG-CBOR only, v3
// also CBOR and raw.
var (
	setV2 = codecs.SetOf(codecs.DagCBOR)
	setV3 = codecs.SetOf(codecs.DagCBOR, codecs.CBOR, codecs.Raw)
)

func wantErrno(t *testing.T, err error, n errno.Number) {
	t.Helper()
	got, ok := errno.Of(err)
	if !ok || got != n {
		t.Fatalf("error %v, want %v", err, n)
	}
}

func TestRegistryIDsFromOne(t *testing.T) {
	r := NewRegistry(setV3)
	for want := uint32(1); want <= 20; want++ {
		id, err := r.Put(Block{Codec: 0x71, Data: []byte{byte(want)}})
		if err != nil || id != want {
			t.Fatalf("Put = %d, %v; want %d", id, err, want)
		}
	}
	for id := uint32(1); id <= 20; id++ {
		b, err := r.Get(id)
		if err != nil || b.Data[0] != byte(id) {
			t.Fatalf("Get(%d) = %v, %v", id, b, err)
		}
	}
	_, err := r.Get(0)
	wantErrno(t, err, errno.InvalidHandle)
	_, err = r.Get(21)
	wantErrno(t, err, errno.InvalidHandle)
	_, err = r.Get(^uint32(0))
	wantErrno(t, err, errno.InvalidHandle)
	_, err = r.Stat(0)
	wantErrno(t, err, errno.InvalidHandle)
	st, err := r.Stat(3)
	if err != nil || st != (Stat{Codec: 0x71, Size: 1}) {
		t.Fatalf("Stat = %+v, %v", st, err)
	}
}

func TestRegistryCodecGate(t *testing.T) {
	// fvm-abi.md §4.1.
	tests := []struct {
		set   codecs.Set
		codec uint64
		ok    bool
	}{
		{setV2, 0x71, true},
		{setV2, 0x51, false},
		{setV2, 0x55, false},
		{setV3, 0x71, true},
		{setV3, 0x51, true},
		{setV3, 0x55, true},
		{setV3, 0x70, false},
		{setV3, 0x00, false},
	}
	for _, tt := range tests {
		r := NewRegistry(tt.set)
		id, err := r.Put(Block{Codec: tt.codec})
		if tt.ok {
			if err != nil || id != 1 {
				t.Errorf("%v codec %#x: %d, %v", tt.set, tt.codec, id, err)
			}
			continue
		}
		wantErrno(t, err, errno.IllegalCodec)
		if r.Len() != 0 {
			t.Errorf("rejected block was stored")
		}
	}
}

func TestRegistryFullBeforeCodec(t *testing.T) {
	if MaxBlocks != 2147483647 {
		t.Fatal("MaxBlocks must be 2^31-1 (fvm-abi.md §4.1)")
	}
	r := NewRegistry(setV2)
	r.max = 2 // stands in for 2^31-1
	for i := 0; i < 2; i++ {
		if _, err := r.Put(Block{Codec: 0x71}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := r.Put(Block{Codec: 0x71})
	wantErrno(t, err, errno.LimitExceeded)
	// A disallowed codec on a full registry is still LimitExceeded: the
	// full check comes first (ref-fvm BlockRegistry::put).
	_, err = r.Put(Block{Codec: 0x55})
	wantErrno(t, err, errno.LimitExceeded)
}

func TestRegistryReset(t *testing.T) {
	r := NewRegistry(setV2)
	for i := 0; i < 100; i++ {
		r.Put(Block{Codec: 0x71})
	}
	r.Reset(setV3)
	if r.Len() != 0 || r.Codecs() != setV3 {
		t.Fatal("Reset did not empty the registry")
	}
	if _, err := r.Get(1); err == nil {
		t.Fatal("old block visible after Reset")
	}
	if id, err := r.Put(Block{Codec: 0x55}); err != nil || id != 1 {
		t.Fatalf("Put after Reset = %d, %v", id, err)
	}
}

func TestRegistryNoAllocs(t *testing.T) {
	r := NewRegistry(setV3)
	data := []byte("block")
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(setV3)
		for i := 0; i < 8; i++ {
			id, _ := r.Put(Block{Codec: 0x71, Data: data})
			r.Get(id)
			r.Stat(id)
		}
	})
	if allocs != 0 {
		t.Fatalf("Put/Get/Stat allocate %v times per invocation", allocs)
	}
}

func BenchmarkRegistryPutGet(b *testing.B) {
	r := NewRegistry(setV3)
	data := make([]byte, 256)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i%1024 == 0 {
			r.Reset(setV3)
		}
		id, err := r.Put(Block{Codec: 0x71, Data: data})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Get(id); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewRegistry(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r := NewRegistry(setV3)
		r.Put(Block{Codec: 0x71})
	}
}

func TestZeroRegistry(t *testing.T) {
	var r Registry
	_, err := r.Put(Block{Codec: 0x71})
	wantErrno(t, err, errno.IllegalCodec)
	if _, err := r.Get(1); err == nil {
		t.Fatal("zero Registry stored a block")
	}
}
