package vectors_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/filecoin-project/go-address"

	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// FuzzDecodeSchema: the fast path decodes exactly what encoding/json
// decodes from the whole input, and fails where it fails.
func FuzzDecodeSchema(f *testing.F) {
	s, err := vectortest.NewScenario(18, address.BLS)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s.Vector.JSON())
	f.Add([]byte(`{"car":"QUJD","class":"message"}`))
	f.Add([]byte(`{"car":"QUJD","car":"REVG"}`))
	f.Add([]byte(`{"car":"!!"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ferr := vectors.DecodeSchema(data)
		whole, werr := vectors.DecodeWhole(data)
		if (ferr == nil) != (werr == nil) {
			// encoding/json.Decoder accepts trailing whitespace only;
			// json.Unmarshal the same: any other disagreement is a bug.
			t.Fatalf("fast: %v; whole: %v", ferr, werr)
		}
		if ferr != nil {
			return
		}
		a, _ := json.Marshal(fast)
		b, _ := json.Marshal(whole)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("fast and whole decodings differ:\n%s\n%s", a, b)
		}
	})
}
