package reachability

import (
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/gofvm/gofvm/kernel/errno"
)

func blakeCid(codec uint64, seed byte) cid.Cid {
	d := make([]byte, 32)
	d[0] = seed
	m, _ := mh.Encode(d, mh.BLAKE2B_MIN+31)
	return cid.NewCidV1(codec, m)
}

func link(c cid.Cid) []byte {
	raw := c.Bytes()
	out := []byte{0xd8, 42}
	if n := len(raw) + 1; n < 24 {
		out = append(out, 0x40|byte(n))
	} else {
		out = append(out, 0x58, byte(n))
	}
	return append(append(out, 0), raw...)
}

func list(cs ...cid.Cid) []byte {
	out := []byte{0x80 | byte(len(cs))}
	for _, c := range cs {
		out = append(out, link(c)...)
	}
	return out
}

func wantErrno(t *testing.T, what string, err error, n errno.Number) {
	t.Helper()
	if n == 0 {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return
	}
	got, ok := errno.Of(err)
	if !ok || got != n {
		t.Fatalf("%s: error %v, want %v", what, err, n)
	}
}

// scenario runs one invocation's worth of operations and returns the error
// of each step, so the three modes can be compared on the same script.
func scenario(t *testing.T, s *Set) []error {
	root := blakeCid(0x71, 1)
	child := blakeCid(0x71, 2)
	rawChild := blakeCid(0x55, 3)
	stranger := blakeCid(0x71, 4)
	param := blakeCid(0x71, 5)
	created := blakeCid(0x71, 6)
	sha := func() cid.Cid { m, _ := mh.Sum([]byte{1}, mh.SHA2_256, -1); return cid.NewCidV1(0x71, m) }()
	inlineGood := cid.NewCidV1(0x71, mustIdentity(list(child)))
	inlineBad := cid.NewCidV1(0x71, mustIdentity(list(stranger)))

	s.AddRoot(root)
	return []error{
		s.Received(0x71, list(param)),          // 0 params link to param
		s.CanOpen(root),                        // 1 ok
		s.Opened(0x71, list(child, rawChild)),  // 2 adds child, rawChild
		s.CanOpen(child),                       // 3 ok
		s.CanOpen(param),                       // 4 ok (from params)
		s.CanOpen(stranger),                    // 5 NotFound
		s.Created(0x71, list(child, rawChild)), // 6 ok
		s.Created(0x71, list(child, stranger)), // 7 NotFound
		s.Created(0x71, []byte{0x82, 0x01}),    // 8 Serialization
		s.Created(0x71, list(sha)),             // 9 NotFound (forbidden hash)
		s.Created(0x71, list(inlineGood)),      // 10 ok: inline block links to child
		s.Created(0x71, list(inlineBad)),       // 11 NotFound
		s.Created(0x55, list(stranger)),        // 12 ok: raw has no links
		s.CanOpen(inlineGood),                  // 13 NotFound: identity not implicitly reachable
		s.CanSetRoot(created),                  // 14 NotFound before linking
		func() error { s.Linked(created); return nil }(),
		s.CanSetRoot(created),            // 16 ok
		s.CanOpen(created),               // 17 ok
		s.Opened(0x70, []byte{}),         // 18 IllegalCodec
		s.Received(0x71, list(stranger)), // 19 send return: adds stranger
		s.CanOpen(stranger),              // 20 ok now
	}
}

func mustIdentity(b []byte) mh.Multihash {
	m, err := mh.Encode(b, mh.IDENTITY)
	if err != nil {
		panic(err)
	}
	return m
}

var strictWant = []errno.Number{0, 0, 0, 0, 0, errno.NotFound, 0, errno.NotFound, errno.Serialization,
	errno.NotFound, 0, errno.NotFound, 0, errno.NotFound, errno.NotFound, 0, 0, 0, errno.IllegalCodec, 0, 0}

func TestStrict(t *testing.T) {
	s := NewSet(Strict)
	errs := scenario(t, s)
	for i, err := range errs {
		wantErrno(t, "step "+string(rune('0'+i/10))+string(rune('0'+i%10)), err, strictWant[i])
	}
	if _, n := s.Violations(); n != 0 {
		t.Fatal("strict records violations")
	}
}

func TestAuditRecordsWhatStrictRefuses(t *testing.T) {
	s := NewSet(Audit)
	for i, err := range scenario(t, s) {
		if err != nil {
			t.Fatalf("audit step %d returned %v", i, err)
		}
	}
	vs, n := s.Violations()
	var want []errno.Number
	for _, w := range strictWant {
		if w != 0 {
			want = append(want, w)
		}
	}
	if n != len(want) || len(vs) != n {
		t.Fatalf("%d violations (%d kept), want %d", n, len(vs), len(want))
	}
	for i, v := range vs {
		if got, _ := errno.Of(v.Err); got != want[i] {
			t.Fatalf("violation %d (%s %s): %v, want %v", i, v.Op, v.Cid, v.Err, want[i])
		}
	}
}

func TestCompatChecksNothing(t *testing.T) {
	for _, s := range []*Set{NewSet(Compat), nil} {
		for i, err := range scenario(t, s) {
			if err != nil {
				t.Fatalf("compat step %d returned %v", i, err)
			}
		}
		if s.Len() != 0 || s.Reachable(blakeCid(0x71, 1)) || s.Mode() != Compat {
			t.Fatal("compat set recorded something")
		}
		s.Reset()
	}
}

func TestReset(t *testing.T) {
	s := NewSet(Strict)
	c := blakeCid(0x71, 9)
	s.AddRoot(c)
	s.Reset()
	wantErrno(t, "open after reset", s.CanOpen(c), errno.NotFound)
	a := NewSet(Audit)
	a.CanOpen(c)
	a.Reset()
	if _, n := a.Violations(); n != 0 {
		t.Fatal("Reset kept violations")
	}
}

func TestAuditCapsViolations(t *testing.T) {
	s := NewSet(Audit)
	for i := 0; i < MaxViolations+10; i++ {
		s.CanOpen(blakeCid(0x71, byte(i)))
	}
	vs, n := s.Violations()
	if len(vs) != MaxViolations || n != MaxViolations+10 {
		t.Fatalf("%d kept, %d counted", len(vs), n)
	}
}

func TestModeString(t *testing.T) {
	if Compat.String() != "compat" || Strict.String() != "strict" || Audit.String() != "audit" || Mode(9).String() != "unknown" {
		t.Fatal("Mode.String")
	}
}

// Consensus (fvm-abi-next.md §4.1): CIDs enter only through Mark and
// MarkLinks; nothing is reachable at the start, not even what an actor
// merely knows; CheckLinks names the first missing link; every refusal is
// returned, none recorded.
func TestConsensus(t *testing.T) {
	root, a, b, stranger := blakeCid(0x71, 1), blakeCid(0x71, 2), blakeCid(0x55, 3), blakeCid(0x71, 4)
	s := NewSet(Consensus)
	if s.Mode() != Consensus || s.Mode().String() != "consensus" {
		t.Fatal("mode")
	}
	wantErrno(t, "root before self.root", s.CanOpen(root), errno.NotFound)
	s.Mark(root)
	wantErrno(t, "root after self.root", s.CanOpen(root), 0)
	wantErrno(t, "links before the block is opened", s.CanOpen(a), errno.NotFound)
	s.MarkLinks([]cid.Cid{a, b, a})
	wantErrno(t, "opened block's link", s.CanOpen(a), 0)
	wantErrno(t, "raw link", s.CanSetRoot(b), 0)
	wantErrno(t, "all links reachable", s.CheckLinks([]cid.Cid{a, b, a, root}), 0)
	err := s.CheckLinks([]cid.Cid{a, stranger, blakeCid(0x71, 5)})
	wantErrno(t, "unreachable link", err, errno.NotFound)
	if !strings.Contains(err.Error(), stranger.String()) {
		t.Errorf("error %q does not name the first missing link", err)
	}
	wantErrno(t, "set_root of a stranger", s.CanSetRoot(stranger), errno.NotFound)
	if s.Len() != 3 {
		t.Errorf("%d CIDs tracked, want 3", s.Len())
	}
	if _, n := s.Violations(); n != 0 {
		t.Error("consensus records violations")
	}
	// Compat and nil sets ignore the consensus calls too.
	for _, c := range []*Set{NewSet(Compat), nil} {
		c.Mark(a)
		c.MarkLinks([]cid.Cid{a})
		if c.CheckLinks([]cid.Cid{stranger}) != nil || c.Len() != 0 {
			t.Error("compat set tracked something")
		}
	}
}
