package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/tracing"
)

// replayOptions are the parsed flags of `fvmcheck replay`.
type replayOptions struct {
	chainFlags
	tipset     int64
	trace      bool
	flame      string
	cpuprofile cpuProfile
}

func parseReplayFlags(args []string, stderr io.Writer) (*replayOptions, cid.Cid, int, bool) {
	fs := newFlagSet("replay", "--rpc URL [flags] (MSG_CID | --tipset HEIGHT)", stderr)
	o := &replayOptions{}
	var reach, eng string
	addChainFlags(fs, &o.chainFlags, &reach, &eng)
	fs.Int64Var(&o.tipset, "tipset", -1, "replay the whole tipset at this height instead of one message")
	fs.BoolVar(&o.trace, "trace", false, "print the Lotus ExecutionTrace JSON (of the message, or of every message of the tipset)")
	fs.StringVar(&o.flame, "flame", "", "write the message's gas flame graph (SVG) to this file")
	o.cpuprofile.addFlag(fs)
	if code, done := parseFlags(fs, args); done {
		return nil, cid.Undef, code, true
	}
	fail := func(format string, a ...any) (*replayOptions, cid.Cid, int, bool) {
		fmt.Fprintf(stderr, "fvmcheck replay: "+format+"\n", a...)
		return nil, cid.Undef, exitUsage, true
	}
	if err := o.check(reach, eng); err != nil {
		return fail("%v", err)
	}
	var msg cid.Cid
	switch {
	case o.tipset >= 0 && fs.NArg() == 0:
		if o.flame != "" {
			return fail("--flame needs a MSG_CID")
		}
	case o.tipset < 0 && fs.NArg() == 1:
		c, err := cid.Decode(fs.Arg(0))
		if err != nil {
			return fail("MSG_CID %q: %v", fs.Arg(0), err)
		}
		msg = c
	default:
		return fail("want exactly one MSG_CID, or --tipset HEIGHT")
	}
	return o, msg, 0, false
}

// replayCmd replays a message in its tipset, or a whole tipset, and
// compares with the chain (chain.md §3.5).
func replayCmd(e *env, args []string) int {
	stdout, stderr := e.stdout, e.stderr
	opts, msg, code, done := parseReplayFlags(args, stderr)
	if done {
		return code
	}
	if err := opts.cpuprofile.start(); err != nil {
		fmt.Fprintf(stderr, "fvmcheck replay: %v\n", err)
		return exitUsage
	}
	defer opts.cpuprofile.stop()
	ctx := e.ctx
	n, names, err := opts.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "fvmcheck replay: %v\n", err)
		return exitUsage
	}
	defer n.Close()
	noteProofsTrusted(e, "replay")
	wantTrace := opts.trace || opts.flame != ""
	var r *chain.Replay
	if msg.Defined() {
		r, err = n.ReplayMessage(ctx, msg, wantTrace)
	} else {
		r, err = n.ReplayTipSet(ctx, abi.ChainEpoch(opts.tipset), wantTrace)
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "fvmcheck replay: interrupted")
			return exitInterrupted
		}
		fmt.Fprintf(stderr, "fvmcheck replay: %v\n", err)
		return exitFailed
	}
	printReplay(stderr, r, n.Calls())
	if opts.trace {
		if err := writeReplayTrace(stdout, r); err != nil {
			fmt.Fprintf(stderr, "fvmcheck replay: %v\n", err)
			return exitFailed
		}
	}
	if opts.flame != "" {
		if err := writeReplayFlame(opts.flame, r, names); err != nil {
			fmt.Fprintf(stderr, "fvmcheck replay: %v\n", err)
			return exitFailed
		}
	}
	if !r.OK() {
		return exitFailed
	}
	return exitOK
}

// printReplay is the verdict: what ran, the comparison, and every diff.
func printReplay(w io.Writer, r *chain.Replay, calls int64) {
	res := r.Result
	fmt.Fprintf(w, "tipset at %d (%d blocks), executed by the tipset at %d: nv%d, base fee %s, circulating supply %s\n",
		r.TipSet.Height(), len(r.TipSet.Blocks()), r.Child.Height(), res.NetworkVersion, res.BaseFee, res.CirculatingSupply)
	for _, m := range res.Migrations {
		fmt.Fprintf(w, "migration: %s\n", m)
	}
	if r.Target != nil {
		rc := r.Target.Ret.Receipt
		fmt.Fprintf(w, "message %s: the %s applied message of the tipset\n", r.Target.Cid, ordinal(len(res.Messages)))
		fmt.Fprintf(w, "gofvm: %s\n", receiptLine(&rc))
		if r.ChainReceipt != nil {
			fmt.Fprintf(w, "chain: %s\n", receiptLine(r.ChainReceipt))
		}
		if r.Target.Ret.FailureInfo != "" {
			fmt.Fprintf(w, "failure: %s\n", r.Target.Ret.FailureInfo)
		}
	} else {
		hdr := r.Child.Blocks()[0]
		fmt.Fprintf(w, "applied %d messages, %d crons, %d rewards\n", len(res.Messages), count(res, "cron"), count(res, "reward"))
		fmt.Fprintf(w, "state root:    gofvm %s, chain %s\n", res.StateRoot, hdr.ParentStateRoot)
		fmt.Fprintf(w, "receipts root: gofvm %s, chain %s\n", res.ReceiptsRoot, hdr.ParentMessageReceipts)
	}
	for _, m := range r.Mismatches {
		fmt.Fprintf(w, "MISMATCH %s\n", m)
	}
	for _, d := range r.ReceiptDiffs {
		fmt.Fprintf(w, "  %s\n", d)
	}
	if r.OK() {
		fmt.Fprintln(w, "MATCH")
	}
	fmt.Fprintf(w, "%d RPC calls\n", calls)
}

func count(res *chain.Result, kind string) int {
	n := 0
	for _, im := range res.Implicit {
		if string(im.Kind) == kind {
			n++
		}
	}
	return n
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

func receiptLine(r *kernel.Receipt) string {
	ev := "no events root field"
	if r.WithEvents {
		ev = "events root none"
		if r.EventsRoot != nil {
			ev = "events root " + r.EventsRoot.String()
		}
	}
	return fmt.Sprintf("exit %d, gas used %d, return %x, %s", r.ExitCode, r.GasUsed, r.Return, ev)
}

// replayTrace is one message's trace in the tipset's list (Lotus's
// InvocResult keys, chain.md §4.2).
type replayTrace struct {
	MsgCid         cid.Cid
	Kind           string
	ExecutionTrace *tracing.ExecutionTrace
}

func writeReplayTrace(w io.Writer, r *chain.Replay) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if r.Target != nil {
		t, err := tracing.BuildLotusTrace(r.Target.Trace)
		if err != nil {
			return err
		}
		return enc.Encode(t)
	}
	var out []replayTrace
	for _, a := range r.Result.Messages {
		t, err := tracing.BuildLotusTrace(a.Trace)
		if err != nil {
			return fmt.Errorf("message %s: %w", a.Cid, err)
		}
		out = append(out, replayTrace{MsgCid: a.Cid, Kind: "message", ExecutionTrace: t})
	}
	for _, im := range r.Result.Implicit {
		t, err := tracing.BuildLotusTrace(im.Trace)
		if err != nil {
			return fmt.Errorf("%s at %d: %w", im.Kind, im.Epoch, err)
		}
		b, _ := im.Message.Bytes()
		c, _ := abi.CidBuilder.Sum(b)
		out = append(out, replayTrace{MsgCid: c, Kind: string(im.Kind), ExecutionTrace: t})
	}
	return enc.Encode(out)
}

func writeReplayFlame(path string, r *chain.Replay, names map[cid.Cid]string) error {
	t, err := tracing.BuildLotusTrace(r.Target.Trace)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("gas flame graph: %s (exit %d, receipt gas_used %d)", r.Target.Cid,
		r.Target.Ret.Receipt.ExitCode, r.Target.Ret.Receipt.GasUsed)
	err = tracing.WriteFlameGraph(f, t, tracing.FlameOptions{Title: title, ActorNames: actorNamer(names)})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
