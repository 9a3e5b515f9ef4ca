package reachability

import (
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/codecs"
	"github.com/gofvm/gofvm/kernel/errno"
)

// Mode says what a Set does with the rules.
//
// Compat, Strict and Audit are gofvm's option for the network versions whose
// FVM checks nothing (nv ≤ 20, rules.Rules.Reachability false). Consensus is
// not an option: it is FIP-0071 as ref-fvm 4.x enforces it from nv21, and
// the kernel selects it from the rules whatever the option says.
type Mode uint8

const (
	// Compat records and checks nothing: the behaviour of FVM v2 and v3,
	// which never check reachability (fvm-abi.md §4.3). Every method returns
	// at once, so a compat machine pays one branch per call.
	Compat Mode = iota
	// Strict tracks the reachable set and refuses what FIP-0071 forbids, on
	// gofvm's own reading (the state root is reachable from the start, checks
	// come before charges; fvm-abi-next.md §4.6 lists where the reference
	// differs).
	Strict
	// Audit tracks like Strict but never refuses: violations are recorded
	// (Violations) so a run can report where the reference's behaviour and
	// FIP-0071 part ways without changing any result.
	Audit
	// Consensus is the reference's reachable set (fvm-abi-next.md §4.1,
	// ref-fvm 4.8.2 kernel/blocks.rs): CIDs enter it only through Mark (the
	// root read by self.root, the CID block_link returns) and MarkLinks (the
	// link list of a block put_reachable inserts); CheckLinks is
	// put_check_reachable. The kernel scans and charges; the set only holds
	// CIDs.
	Consensus
)

func (m Mode) String() string {
	switch m {
	case Compat:
		return "compat"
	case Strict:
		return "strict"
	case Audit:
		return "audit"
	case Consensus:
		return "consensus"
	}
	return "unknown"
}

// Violation is one refusal Strict would have made.
type Violation struct {
	Op  string  // "open", "set_root", "create", "scan"
	Cid cid.Cid // the CID concerned, if any
	Err error   // the error Strict returns (an *errno.Error)
}

// MaxViolations caps how many violations an Audit set keeps (the count goes on).
const MaxViolations = 64

// Set is the reachable set of one actor invocation (FIP-0071: per invocation,
// not per message).
//
// In Consensus mode (nv21+) the kernel follows the reference (fvm-abi-next.md
// §4.3) and computes each block's link list once, when the block enters the
// invocation:
//
//	params block        MarkLinks(params links)
//	self.root           Mark(root), after its charge
//	ipld.block_open     CanOpen(cid) after the base charge; MarkLinks(links) after the scan
//	ipld.block_create   CheckLinks(links) after the scan and the create charge
//	ipld.block_link     Mark(new cid)
//	self.set_root       CanSetRoot(cid) after its charge
//	send return         MarkLinks(return links) in the caller
//
// In Strict and Audit (nv ≤ 20) the set scans blocks itself, at these points:
//
//	invocation start   AddRoot(actor state root); Received(params block)
//	self.root          AddRoot(root)
//	ipld.block_open    CanOpen(cid) before loading; Opened(codec, data) after
//	ipld.block_create  Created(codec, data) before storing
//	ipld.block_link    Linked(new cid) after storing
//	self.set_root      CanSetRoot(cid) before updating
//	send return        Received(return block) in the caller's set
//
// Error numbers follow ref-fvm's FIP-0071 implementation (fvm@v4.8.2,
// fvm/src/kernel/default.rs and kernel/blocks.rs): opening or setting as
// root a CID that is not reachable, and creating a block that links to one,
// are NotFound (to the actor the block "does not exist"; it may well exist
// in the client's store, which is exactly what must not matter); malformed
// DAG-CBOR is Serialization; links of forbidden shape are NotFound; codecs
// other than CBOR, DAG-CBOR and raw are IllegalCodec (codecs.AppendReachable).
//
// The CIDs a Set keeps share memory with the block data they came from;
// blocks are immutable, so that is safe. A nil *Set behaves as Compat. A Set
// is not safe for concurrent use.
type Set struct {
	mode       Mode
	reachable  map[cid.Cid]struct{}
	violations []Violation
	count      int
}

// NewSet returns an empty set in mode.
func NewSet(mode Mode) *Set {
	s := &Set{mode: mode}
	if mode != Compat {
		s.reachable = make(map[cid.Cid]struct{})
	}
	return s
}

// Reset empties the set for reuse by another invocation.
func (s *Set) Reset() {
	if s == nil {
		return
	}
	clear(s.reachable)
	s.violations = s.violations[:0]
	s.count = 0
}

// Mode is the set's mode (Compat for nil).
func (s *Set) Mode() Mode {
	if s == nil {
		return Compat
	}
	return s.mode
}

func (s *Set) off() bool { return s == nil || s.mode == Compat }

// AddReachable makes c reachable.
func (s *Set) AddReachable(c cid.Cid) {
	if s == nil || s.mode == Compat {
		return
	}
	s.reachable[c] = struct{}{}
}

// Mark makes c reachable: self.root's root, block_link's new CID (Consensus).
func (s *Set) Mark(c cid.Cid) { s.AddReachable(c) }

// MarkLinks makes every link of a block put_reachable inserts reachable:
// params, opened blocks, send returns (Consensus).
func (s *Set) MarkLinks(links []cid.Cid) {
	if s.off() {
		return
	}
	for _, c := range links {
		s.reachable[c] = struct{}{}
	}
}

// CheckLinks is put_check_reachable's check of a created block's links:
// NotFound naming the first link not in the set (Consensus).
func (s *Set) CheckLinks(links []cid.Cid) error {
	if s.off() {
		return nil
	}
	for _, c := range links {
		if _, ok := s.reachable[c]; !ok {
			return s.refuse("create", c, errno.New(errno.NotFound, "cannot put block: %s not reachable", c))
		}
	}
	return nil
}

// HandedOut is told of a CID the kernel gave the actor from outside any block
// (get_actor_code_cid, get_code_cid_for_type). Strict and Audit make it
// reachable, so the actor may link it; Consensus does not: code CIDs are
// never reachable under the reference's rules (fvm-abi-next.md §4.1).
func (s *Set) HandedOut(c cid.Cid) {
	if s.off() || s.mode == Consensus {
		return
	}
	s.reachable[c] = struct{}{}
}

// AddRoot makes the actor's state root reachable (invocation start, self.root).
func (s *Set) AddRoot(c cid.Cid) { s.AddReachable(c) }

// Linked makes the CID block_link just produced reachable: FIP-0071 adds a
// created block once it has a CID (its children were checked by Created).
func (s *Set) Linked(c cid.Cid) { s.AddReachable(c) }

// Reachable reports whether c is in the set (always false in Compat).
func (s *Set) Reachable(c cid.Cid) bool {
	if s.off() {
		return false
	}
	_, ok := s.reachable[c]
	return ok
}

// Len is the number of reachable CIDs tracked.
func (s *Set) Len() int {
	if s.off() {
		return 0
	}
	return len(s.reachable)
}

// CanOpen checks block_open of c: NotFound in Strict unless c is reachable.
// Identity CIDs are not implicitly reachable (their inline block may link to
// unreachable children).
func (s *Set) CanOpen(c cid.Cid) error {
	if s == nil || s.mode == Compat {
		return nil
	}
	return s.canOpen(c)
}

func (s *Set) canOpen(c cid.Cid) error {
	if _, ok := s.reachable[c]; ok {
		return nil
	}
	return s.refuse("open", c, errno.New(errno.NotFound, "block not reachable: %s", c))
}

// CanSetRoot checks self.set_root(c): NotFound in Strict unless c is reachable.
func (s *Set) CanSetRoot(c cid.Cid) error {
	if s.off() {
		return nil
	}
	if _, ok := s.reachable[c]; ok {
		return nil
	}
	return s.refuse("set_root", c, errno.New(errno.NotFound, "new root cid not reachable: %s", c))
}

// Opened adds the links of a block just opened (its codec and bytes).
func (s *Set) Opened(codec uint64, data []byte) error {
	if s == nil || s.mode == Compat {
		return nil
	}
	return s.addLinks(codec, data)
}

// Received adds the links of a block handed to the invocation by another:
// its params at the start, the return block of each send.
func (s *Set) Received(codec uint64, data []byte) error {
	if s.off() {
		return nil
	}
	return s.addLinks(codec, data)
}

func (s *Set) addLinks(codec uint64, data []byte) error {
	err := codecs.ScanReachable(codec, data, func(c cid.Cid) error {
		s.reachable[c] = struct{}{}
		return nil
	})
	if err != nil {
		return s.refuse("scan", cid.Undef, err)
	}
	return nil
}

// Created checks block_create of a block: every link must be reachable
// (NotFound otherwise), and DAG-CBOR must scan (Serialization otherwise).
func (s *Set) Created(codec uint64, data []byte) error {
	if s == nil || s.mode == Compat {
		return nil
	}
	return s.created(codec, data)
}

func (s *Set) created(codec uint64, data []byte) error {
	var missing cid.Cid
	err := codecs.ScanReachable(codec, data, func(c cid.Cid) error {
		if _, ok := s.reachable[c]; ok {
			return nil
		}
		missing = c
		return errUnreachable
	})
	if err == errUnreachable {
		return s.refuse("create", missing, errno.New(errno.NotFound, "cannot put block: %s not reachable", missing))
	}
	if err != nil {
		return s.refuse("create", cid.Undef, err)
	}
	return nil
}

var errUnreachable = errno.New(errno.NotFound, "unreachable")

// refuse returns err in Strict and Consensus; in Audit it records it and
// returns nil.
func (s *Set) refuse(op string, c cid.Cid, err error) error {
	if s.mode != Audit {
		return err
	}
	s.count++
	if len(s.violations) < MaxViolations {
		s.violations = append(s.violations, Violation{Op: op, Cid: c, Err: err})
	}
	return nil
}

// Violations returns the violations an Audit set recorded (at most
// MaxViolations, in order) and how many there were in all.
func (s *Set) Violations() ([]Violation, int) {
	if s == nil {
		return nil, 0
	}
	return s.violations, s.count
}
