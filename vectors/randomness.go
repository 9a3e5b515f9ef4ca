package vectors

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"

	"github.com/filecoin-project/test-vectors/schema"
)

// FallbackRandomness is returned when no recorded entry matches a request,
// as ref-fvm's conformance runner does (testing/conformance/src/rand.rs,
// TestFallbackRand; conformance.md §1.5).
var FallbackRandomness = [32]byte([]byte("i_am_random_____i_am_random_____"))

// Randomness replays the chain and beacon digests a vector recorded. The
// values are the raw 32-byte digests for an epoch; the kernel derives the
// actor-visible randomness from them (blake2b-256 over DST ‖ digest ‖ round ‖
// entropy, conformance.md §1.5, ref-fvm #1842). The zero value and a nil
// *Randomness always return FallbackRandomness.
type Randomness struct {
	entries []randomnessEntry
}

type randomnessEntry struct {
	kind   schema.RandomnessKind
	epoch  int64
	digest [32]byte
}

// NewRandomness checks the recorded entries (each must be 32 bytes, of kind
// chain or beacon) and keeps their order: the first match wins, as in the
// reference runner.
func NewRandomness(recorded schema.Randomness) (*Randomness, error) {
	r := &Randomness{entries: make([]randomnessEntry, 0, len(recorded))}
	for i, m := range recorded {
		if m.On.Kind != schema.RandomnessChain && m.On.Kind != schema.RandomnessBeacon {
			return nil, fmt.Errorf("randomness[%d]: unknown kind %q", i, m.On.Kind)
		}
		if len(m.Return) != 32 {
			return nil, fmt.Errorf("randomness[%d]: ret is %d bytes, want 32", i, len(m.Return))
		}
		r.entries = append(r.entries, randomnessEntry{
			kind: m.On.Kind, epoch: m.On.Epoch, digest: [32]byte(m.Return),
		})
	}
	return r, nil
}

// Len is the number of recorded entries.
func (r *Randomness) Len() int {
	if r == nil {
		return 0
	}
	return len(r.entries)
}

// ChainDigest returns the recorded chain digest for epoch, or the fallback.
// The signature is that of kernel/crypto's Externs; the error is always nil.
func (r *Randomness) ChainDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return r.lookup(schema.RandomnessChain, int64(epoch)), nil
}

// BeaconDigest returns the recorded beacon digest for epoch, or the
// fallback. The error is always nil.
func (r *Randomness) BeaconDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return r.lookup(schema.RandomnessBeacon, int64(epoch)), nil
}

func (r *Randomness) lookup(kind schema.RandomnessKind, epoch int64) [32]byte {
	if r != nil {
		for _, e := range r.entries {
			if e.kind == kind && e.epoch == epoch {
				return e.digest
			}
		}
	}
	return FallbackRandomness
}
