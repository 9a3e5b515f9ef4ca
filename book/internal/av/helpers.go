package av

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-bitfield"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/builtin"
	cbg "github.com/whyrusleeping/cbor-gen"
)

// enc serializes params.
func enc(v cbg.CBORMarshaler) ([]byte, error) {
	var b bytes.Buffer
	if err := v.MarshalCBOR(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// dec deserializes a return value.
func dec(b []byte, v cbg.CBORUnmarshaler) error {
	if err := v.UnmarshalCBOR(bytes.NewReader(b)); err != nil {
		return fmt.Errorf("av: decoding %T: %w", v, err)
	}
	return nil
}

// portOnly are findings of go-state-types' port of the invariant checks
// that builtin-actors' own checks do not make:
//   - the port requires the verified registry to hold an entry in datacap's
//     balance map, where state/src/check.rs (check_verifreg_against_datacap,
//     v9.0.3 … v18.0.0) reads a missing entry as a zero balance (and the
//     token removes zero balances from the map);
//   - from v10 the port requires every id in the init actor's address map
//     to name a live actor; actors/init/src/testing.rs (v10.0.0 …) does
//     not, and deleted actors (a collected payment channel, a self-destructed
//     contract) keep their mapping.
var portOnly = []string{
	"verifreg not found in datacap actor balances map",
	"init: actor not found idaddr ",
}

func isPortOnly(m string) bool {
	for _, p := range portOnly {
		if strings.Contains(m, p) {
			return true
		}
	}
	return false
}

// messages flattens an invariant checker's findings, without portOnly.
func messages(acc *builtin.MessageAccumulator) []string {
	if acc == nil || acc.IsEmpty() {
		return nil
	}
	var out []string
	for _, m := range acc.Messages() {
		if !isPortOnly(m) {
			out = append(out, m)
		}
	}
	return out
}

// ErrNotInVersion is returned by an encoder for a method the actors version
// does not have.
type ErrNotInVersion struct {
	Method  string
	Version int
}

func (e *ErrNotInVersion) Error() string {
	return fmt.Sprintf("av: actors v%d has no %s", e.Version, e.Method)
}

func errNotInVersion(method string, v int) error { return &ErrNotInVersion{Method: method, Version: v} }

// bits lists a bitfield's set bits.
func bits(bf bitfield.BitField) ([]uint64, error) {
	n, err := bf.Count()
	if err != nil {
		return nil, err
	}
	if n > 1<<20 {
		return nil, fmt.Errorf("av: bitfield of %d bits", n)
	}
	return bf.All(n)
}

// allocationRequestsV9 encodes AllocationRequests as builtin-actors v9.0.3
// reads them: [[[provider address, data, size, term_min, term_max,
// expiration]...], extensions []].
func allocationRequestsV9(reqs []AllocationRequest) ([]byte, error) {
	var b bytes.Buffer
	w := cbg.NewCborWriter(&b)
	if err := w.WriteMajorTypeHeader(cbg.MajArray, 2); err != nil {
		return nil, err
	}
	if err := w.WriteMajorTypeHeader(cbg.MajArray, uint64(len(reqs))); err != nil {
		return nil, err
	}
	for _, r := range reqs {
		provider, err := address.NewIDAddress(uint64(r.Provider))
		if err != nil {
			return nil, err
		}
		if err := w.WriteMajorTypeHeader(cbg.MajArray, 6); err != nil {
			return nil, err
		}
		if err := provider.MarshalCBOR(w); err != nil {
			return nil, err
		}
		if err := cbg.WriteCid(w, r.Data); err != nil {
			return nil, err
		}
		if err := w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(r.Size)); err != nil {
			return nil, err
		}
		for _, e := range []abi.ChainEpoch{r.TermMin, r.TermMax, r.Expiration} {
			if err := writeInt(w, int64(e)); err != nil {
				return nil, err
			}
		}
	}
	if err := w.WriteMajorTypeHeader(cbg.MajArray, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeInt(w *cbg.CborWriter, v int64) error {
	if v >= 0 {
		return w.WriteMajorTypeHeader(cbg.MajUnsignedInt, uint64(v))
	}
	return w.WriteMajorTypeHeader(cbg.MajNegativeInt, uint64(-v-1))
}

// cborBytes is b as a CBOR byte string.
func cborBytes(b []byte) ([]byte, error) {
	var out bytes.Buffer
	w := cbg.NewCborWriter(&out)
	if err := w.WriteMajorTypeHeader(cbg.MajByteString, uint64(len(b))); err != nil {
		return nil, err
	}
	_, err := w.Write(b)
	return out.Bytes(), err
}
