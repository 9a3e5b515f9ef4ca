package main

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"

	"github.com/gofvm/gofvm/chain"
)

// validateCmd replays every tipset of a height range against the chain,
// with a progress bar, and stops at the first that differs (receipt fields
// and a state diff down to the actor). Tipsets validated before are skipped
// (the cache remembers them) unless --again.
func validateCmd(e *env, args []string) int {
	stdout, stderr := e.stdout, e.stderr
	fs := newFlagSet("validate", "--rpc URL --from HEIGHT --to HEIGHT [flags]", stderr)
	var o chainFlags
	var reach, eng string
	addChainFlags(fs, &o, &reach, &eng)
	from := fs.Int64("from", -1, "first height")
	to := fs.Int64("to", -1, "last height (its tipset's results are read from the next tipset)")
	again := fs.Bool("again", false, "re-check tipsets an earlier run validated")
	verbose := fs.Bool("v", false, "print a line per tipset")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if err := o.check(reach, eng); err != nil {
		fmt.Fprintf(stderr, "fvmcheck validate: %v\n", err)
		return exitUsage
	}
	if *from < 0 || *to < *from || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "fvmcheck validate: want --from H --to H2 with 0 ≤ H ≤ H2 and no arguments")
		return exitUsage
	}
	ctx := e.ctx
	n, _, err := o.open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "fvmcheck validate: %v\n", err)
		return exitUsage
	}
	defer n.Close()
	noteProofsTrusted(e, "validate")
	bar := newProgress(stderr)
	v, err := n.Validate(ctx, chain.ValidateOptions{From: abi.ChainEpoch(*from), To: abi.ChainEpoch(*to), Again: *again,
		Progress: func(p chain.Progress) {
			if *verbose {
				bar.clear()
				state := "ok"
				if p.Skipped {
					state = "validated before"
				} else if !p.OK {
					state = "DIFFERS"
				}
				fmt.Fprintf(stdout, "%d %s\n", p.Height, state)
			}
			bar.draw(p.Done, p.Total)
		}})
	bar.clear()
	if err != nil && ctx.Err() != nil {
		fmt.Fprintln(stderr, "fvmcheck validate: interrupted")
		return exitInterrupted
	}
	if err != nil {
		fmt.Fprintf(stderr, "fvmcheck validate: %v\n", err)
		return exitFailed
	}
	if v.Failed != nil {
		printReplay(stdout, v.Failed, n.Calls())
		if v.StateDiff != "" {
			fmt.Fprint(stdout, v.StateDiff)
		}
	}
	failed := 0
	if v.Failed != nil {
		failed = 1
	}
	fmt.Fprintf(stdout, "%d RPC calls; %d null rounds\n", n.Calls(), v.Null)
	fmt.Fprintf(stdout, "%d passed, %d failed, %d skipped\n", v.Checked, failed, v.Skipped)
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}
