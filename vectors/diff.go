package vectors

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/test-vectors/schema"
	"github.com/ipfs/go-cid"
	"github.com/ipld/go-ipld-prime/codec/dagcbor"
	"github.com/ipld/go-ipld-prime/datamodel"
	cidlink "github.com/ipld/go-ipld-prime/linking/cid"
)

// receiptDiff lists the receipt fields that differ, one per line, and a
// one-line summary for the failure reason.
func receiptDiff(want schema.Receipt, got *Result) (lines []string, summary []string) {
	if want.ExitCode != got.ExitCode {
		lines = append(lines, fmt.Sprintf("exit_code: want %d, got %d", want.ExitCode, got.ExitCode))
		summary = append(summary, fmt.Sprintf("exit code %d, want %d", got.ExitCode, want.ExitCode))
	}
	if !bytes.Equal(want.ReturnValue, got.Return) {
		lines = append(lines, "return:", "  want "+renderBytes(want.ReturnValue), "  got  "+renderBytes(got.Return))
		summary = append(summary, "return value differs")
	}
	if want.GasUsed != got.GasUsed {
		lines = append(lines, fmt.Sprintf("gas_used: want %d, got %d (%+d)", want.GasUsed, got.GasUsed, got.GasUsed-want.GasUsed))
		summary = append(summary, fmt.Sprintf("gas used %d, want %d", got.GasUsed, want.GasUsed))
	}
	return lines, summary
}

// maxChangedActors bounds how many HAMT entries the state diff lists.
const maxChangedActors = 50

// stateDiff explains why two state roots differ: first the sender, the
// receiver and the system actors (ids < 100) field by field, as the
// reference runner does (release/v3 testing/conformance/src/driver.rs,
// compare_state_roots), then every actors-HAMT entry that differs, found by
// walking both HAMTs side by side and skipping equal subtrees.
func stateDiff(ctx context.Context, bs Blockstore, want, got cid.Cid, msg *Message) string {
	d := &differ{r: newTreeReader(ctx, bs)}
	fmt.Fprintf(&d.out, "post-state root: want %s, got %s\n", want, got)
	ws, err := d.r.stateRoot(want)
	if err != nil {
		fmt.Fprintf(&d.out, "cannot read the expected state root: %v\n", err)
		return d.out.String()
	}
	gs, err := d.r.stateRoot(got)
	if err != nil {
		fmt.Fprintf(&d.out, "cannot read the produced state root: %v\n", err)
		return d.out.String()
	}
	if ws.Version != gs.Version {
		fmt.Fprintf(&d.out, "state root version: want %d, got %d\n", ws.Version, gs.Version)
	}
	if !ws.Info.Equals(gs.Info) {
		fmt.Fprintf(&d.out, "state root info: want %s, got %s\n", ws.Info, gs.Info)
	}
	if ws.Actors.Equals(gs.Actors) {
		fmt.Fprintf(&d.out, "actors HAMT: identical (%s)\n", ws.Actors)
		return d.out.String()
	}
	fmt.Fprintf(&d.out, "actors HAMT: want %s, got %s\n", ws.Actors, gs.Actors)

	shown := map[uint64]bool{}
	if msg != nil {
		for _, who := range []struct {
			role string
			addr address.Address
		}{{"sender", msg.From}, {"receiver", msg.To}} {
			id, ok := d.resolve(ws, gs, who.addr)
			if !ok {
				fmt.Fprintf(&d.out, "%s %s: id not resolvable from the CAR\n", who.role, renderAddress(who.addr))
				continue
			}
			label := fmt.Sprintf("%s %s (f0%d)", who.role, renderAddress(who.addr), id)
			if who.addr.Protocol() == address.ID {
				label = fmt.Sprintf("%s f0%d", who.role, id)
			}
			d.compareActor(label, ws.Actors, gs.Actors, id)
			shown[id] = true
		}
	}
	for id := uint64(0); id < 100; id++ {
		if !shown[id] {
			d.compareActor(fmt.Sprintf("builtin f0%d", id), ws.Actors, gs.Actors, id)
			shown[id] = true
		}
	}
	d.hamtDiff(ws.Actors, gs.Actors, shown)
	return d.out.String()
}

type differ struct {
	r   treeReader
	out strings.Builder
}

// resolve finds an address's actor id: directly for f0, else through the
// init actor's address map (fvm-abi.md §8.5), in either state.
func (d *differ) resolve(ws, gs *stateRoot, a address.Address) (uint64, bool) {
	if a.Protocol() == address.ID {
		id, err := address.IDFromAddress(a)
		return id, err == nil
	}
	for _, s := range []*stateRoot{ws, gs} {
		v, found, err := d.r.hamtFind(s.Actors, idAddressKey(1))
		if err != nil || !found {
			continue
		}
		initActor, err := decodeActor(v)
		if err != nil {
			continue
		}
		st, err := d.r.node(initActor.Head)
		if err != nil || st.Kind() != datamodel.Kind_List || st.Length() != 3 {
			continue
		}
		m, err := linkAt(st, 0)
		if err != nil {
			continue
		}
		idn, found, err := d.r.hamtFind(m, a.Bytes())
		if err != nil || !found {
			continue
		}
		if id, err := idn.AsInt(); err == nil && id >= 0 {
			return uint64(id), true
		}
	}
	return 0, false
}

// lookupActor is hamtFind plus decoding; the string explains an absence.
func (d *differ) lookupActor(root cid.Cid, id uint64) (*actorRecord, string) {
	v, found, err := d.r.hamtFind(root, idAddressKey(id))
	switch {
	case errors.Is(err, errMissing):
		return nil, "not in the CAR"
	case err != nil:
		return nil, "unreadable: " + err.Error()
	case !found:
		return nil, "absent"
	}
	a, err := decodeActor(v)
	if err != nil {
		return nil, "unreadable: " + err.Error()
	}
	return a, ""
}

// compareActor prints the differences of one actor, or nothing when equal
// or when neither state can say.
func (d *differ) compareActor(label string, wantRoot, gotRoot cid.Cid, id uint64) {
	wa, wwhy := d.lookupActor(wantRoot, id)
	ga, gwhy := d.lookupActor(gotRoot, id)
	switch {
	case wa == nil && ga == nil:
		return // absent or unknown on both sides: nothing to say
	case wa == nil && wwhy == "not in the CAR", ga == nil && gwhy == "not in the CAR":
		return // cannot compare
	case wa == nil:
		fmt.Fprintf(&d.out, "%s: want %s, got %s\n", label, wwhy, dagJSON(ga.Raw, false))
		return
	case ga == nil:
		fmt.Fprintf(&d.out, "%s: want %s, got %s\n", label, dagJSON(wa.Raw, false), gwhy)
		return
	}
	if nodesEqual(wa.Raw, ga.Raw) {
		return
	}
	fmt.Fprintf(&d.out, "%s:\n", label)
	d.actorFields(wa, ga, "  ")
}

func (d *differ) actorFields(wa, ga *actorRecord, p string) {
	if !wa.Code.Equals(ga.Code) {
		fmt.Fprintf(&d.out, "%scode: want %s, got %s\n", p, wa.Code, ga.Code)
	}
	if wa.Nonce != ga.Nonce {
		fmt.Fprintf(&d.out, "%snonce: want %d, got %d\n", p, wa.Nonce, ga.Nonce)
	}
	if wa.Balance.Cmp(ga.Balance) != 0 {
		delta := new(big.Int).Sub(ga.Balance, wa.Balance)
		fmt.Fprintf(&d.out, "%sbalance: want %s, got %s (%+d)\n", p, wa.Balance, ga.Balance, delta)
	}
	switch {
	case wa.Delegated == nil && ga.Delegated != nil:
		fmt.Fprintf(&d.out, "%sdelegated address: want none, got %s\n", p, ga.Delegated)
	case wa.Delegated != nil && ga.Delegated == nil:
		fmt.Fprintf(&d.out, "%sdelegated address: want %s, got none\n", p, wa.Delegated)
	case wa.Delegated != nil && *wa.Delegated != *ga.Delegated:
		fmt.Fprintf(&d.out, "%sdelegated address: want %s, got %s\n", p, wa.Delegated, ga.Delegated)
	}
	if !wa.Head.Equals(ga.Head) {
		fmt.Fprintf(&d.out, "%sstate (head): want %s, got %s\n", p, wa.Head, ga.Head)
		d.blockDiff(wa.Head, ga.Head, p+"  ")
	}
}

// blockDiff renders two differing state blocks as DAG-JSON: field by field
// when both are tuples of the same length (actor states are), else whole.
func (d *differ) blockDiff(want, got cid.Cid, p string) {
	wn, werr := d.r.node(want)
	gn, gerr := d.r.node(got)
	if werr != nil || gerr != nil {
		if werr != nil {
			fmt.Fprintf(&d.out, "%swant block: %v\n", p, explainMissing(werr))
		}
		if gerr != nil {
			fmt.Fprintf(&d.out, "%sgot block: %v\n", p, explainMissing(gerr))
		}
		return
	}
	if wn.Kind() == datamodel.Kind_List && gn.Kind() == datamodel.Kind_List && wn.Length() == gn.Length() {
		for i := int64(0); i < wn.Length(); i++ {
			wf, _ := wn.LookupByIndex(i)
			gf, _ := gn.LookupByIndex(i)
			if !nodesEqual(wf, gf) {
				fmt.Fprintf(&d.out, "%sfield %d: want %s\n%s         got  %s\n", p, i, dagJSON(wf, false), p, dagJSON(gf, false))
			}
		}
		return
	}
	fmt.Fprintf(&d.out, "%swant:\n%s\n%sgot:\n%s\n", p, indentLines(dagJSON(wn, true), p+"  "), p, indentLines(dagJSON(gn, true), p+"  "))
}

func explainMissing(err error) string {
	if errors.Is(err, errMissing) {
		return "not in the CAR nor written by the driver"
	}
	return err.Error()
}

// hamtDiff walks both actors HAMTs slot by slot and lists the entries that
// differ (those not already shown above are detailed too).
func (d *differ) hamtDiff(want, got cid.Cid, shown map[uint64]bool) {
	var changes []hamtChange
	unknown := 0
	d.diffPointers(linkNode(want), linkNode(got), 0, &changes, &unknown)
	sort.Slice(changes, func(i, j int) bool { return bytes.Compare([]byte(changes[i].key), []byte(changes[j].key)) < 0 })
	fmt.Fprintf(&d.out, "actors HAMT entries that differ: %d", len(changes))
	if unknown > 0 {
		fmt.Fprintf(&d.out, " (%d subtrees not in the CAR could hide more)", unknown)
	}
	d.out.WriteString("\n")
	for i, c := range changes {
		if i == maxChangedActors {
			fmt.Fprintf(&d.out, "  … and %d more\n", len(changes)-i)
			break
		}
		name := keyName(c.key)
		var id uint64
		isID := false
		if a, err := address.NewFromBytes([]byte(c.key)); err == nil && a.Protocol() == address.ID {
			id, _ = address.IDFromAddress(a)
			isID = true
		}
		switch {
		case c.want == nil:
			fmt.Fprintf(&d.out, "  %s: only in the produced state: %s\n", name, dagJSON(c.got, false))
		case c.got == nil:
			fmt.Fprintf(&d.out, "  %s: only in the expected state: %s\n", name, dagJSON(c.want, false))
		default:
			fmt.Fprintf(&d.out, "  %s: want %s\n  %s  got  %s\n", name, dagJSON(c.want, false), strings.Repeat(" ", len(name)), dagJSON(c.got, false))
			if isID && !shown[id] {
				wa, err1 := decodeActor(c.want)
				ga, err2 := decodeActor(c.got)
				if err1 == nil && err2 == nil {
					d.actorFields(wa, ga, "    ")
				}
			}
		}
	}
}

type hamtChange struct {
	key       string
	want, got datamodel.Node // nil = not present on that side
}

const hamtWidth = 1 << actorsHAMTBitWidth

// diffPointers compares two HAMT pointers at the same position (nil =
// empty slot). Equal links are skipped without loading; two present nodes
// are compared slot by slot; anything else is compared by collecting its
// entries, and entries found on one side only count as added or removed
// only when the other side's subtree was complete.
func (d *differ) diffPointers(pw, pg datamodel.Node, depth int, out *[]hamtChange, unknown *int) {
	if pw == nil && pg == nil {
		return
	}
	if depth > 256/actorsHAMTBitWidth+1 {
		return
	}
	if pw != nil && pg != nil && pw.Kind() == datamodel.Kind_Link && pg.Kind() == datamodel.Kind_Link {
		lw, _ := pw.AsLink()
		lg, _ := pg.AsLink()
		if lw.String() == lg.String() {
			return
		}
		cw, okw := lw.(cidlink.Link)
		cg, okg := lg.(cidlink.Link)
		if okw && okg {
			nw, errw := d.r.hamtNode(cw.Cid)
			ng, errg := d.r.hamtNode(cg.Cid)
			if errw == nil && errg == nil {
				for idx := 0; idx < hamtWidth; idx++ {
					d.diffPointers(nw.slot(idx), ng.slot(idx), depth+1, out, unknown)
				}
				return
			}
		}
	}
	wm, gm := map[string]datamodel.Node{}, map[string]datamodel.Node{}
	var missW, missG int
	if pw != nil {
		m, err := d.r.hamtCollect(pw, wm, depth)
		if err != nil {
			m++
		}
		missW = m
	}
	if pg != nil {
		m, err := d.r.hamtCollect(pg, gm, depth)
		if err != nil {
			m++
		}
		missG = m
	}
	*unknown += missW + missG
	keys := make([]string, 0, len(wm)+len(gm))
	for k := range wm {
		keys = append(keys, k)
	}
	for k := range gm {
		if _, ok := wm[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		w, inW := wm[k]
		g, inG := gm[k]
		switch {
		case inW && inG:
			if !nodesEqual(w, g) {
				*out = append(*out, hamtChange{key: k, want: w, got: g})
			}
		case inW && missG == 0:
			*out = append(*out, hamtChange{key: k, want: w})
		case inG && missW == 0:
			*out = append(*out, hamtChange{key: k, got: g})
		}
	}
}

// nodesEqual compares two generic nodes by their DAG-CBOR encoding.
func nodesEqual(a, b datamodel.Node) bool {
	var ab, bb bytes.Buffer
	if dagcbor.Encode(a, &ab) != nil || dagcbor.Encode(b, &bb) != nil {
		return false
	}
	return bytes.Equal(ab.Bytes(), bb.Bytes())
}
