package vectors

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/filecoin-project/go-address"
	"github.com/ipld/go-ipld-prime/codec/dagjson"
	"github.com/ipld/go-ipld-prime/datamodel"
)

// maxRender bounds one rendered value, so a diff of a large state block
// stays readable; the cut is said, never silent.
const maxRender = 4000

// dagJSON renders a node as DAG-JSON (links as {"/": cid}, bytes as
// {"/": {"bytes": base64}}), indented over several lines when pretty.
func dagJSON(n datamodel.Node, pretty bool) string {
	var buf bytes.Buffer
	if err := dagjson.Encode(n, &buf); err != nil {
		return fmt.Sprintf("<not renderable as DAG-JSON: %v>", err)
	}
	out := buf.Bytes()
	if pretty {
		var ib bytes.Buffer
		if json.Indent(&ib, out, "", "  ") == nil {
			out = ib.Bytes()
		}
	}
	return truncate(string(out))
}

func truncate(s string) string {
	if len(s) <= maxRender {
		return s
	}
	return fmt.Sprintf("%s… (%d more bytes)", s[:maxRender], len(s)-maxRender)
}

// renderBytes shows return values: hex, and the DAG-JSON reading when the
// bytes decode as CBOR.
func renderBytes(b []byte) string {
	if len(b) == 0 {
		return "<empty>"
	}
	s := "0x" + hex.EncodeToString(b)
	if n, err := decodeCBOR(b); err == nil {
		s += " = " + dagJSON(n, false)
	}
	return truncate(s)
}

// renderAddress shows an address as f-string, tolerating the empty one.
func renderAddress(a address.Address) string {
	if a == address.Undef {
		return "<undef>"
	}
	return a.String()
}

// indentLines prefixes every line of s.
func indentLines(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// keyName shows an actors-HAMT key (address bytes) as an address.
func keyName(k string) string {
	if a, err := address.NewFromBytes([]byte(k)); err == nil {
		return a.String()
	}
	return fmt.Sprintf("%x", k)
}
