package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/tracing"
	"github.com/gofvm/gofvm/vectors"
)

// profileFiles are the --flame, --pprof and --folded flags: the gas
// profile of one traced message written as a picture and in the standard
// profile formats. Any command that traces a message adds them with
// addFlags and writes them with write.
type profileFiles struct {
	flame, pprof, folded string
}

func (p *profileFiles) addFlags(fs *flag.FlagSet) {
	fs.StringVar(&p.flame, "flame", "", "also write the gas flame graph (self-contained SVG) to this file")
	fs.StringVar(&p.pprof, "pprof", "", "also write the gas profile in pprof format (gzipped protobuf: go tool pprof, speedscope, Pyroscope) to this file")
	fs.StringVar(&p.folded, "folded", "", "also write the gas profile as folded stacks (flamegraph.pl, inferno, speedscope) to this file")
}

func (p *profileFiles) any() bool { return p.flame != "" || p.pprof != "" || p.folded != "" }

// write builds the trace's gas profile and writes each file asked for.
// title heads the flame graph and is the pprof profile's comment.
func (p *profileFiles) write(t *tracing.ExecutionTrace, names map[cid.Cid]string, title string) error {
	if !p.any() {
		return nil
	}
	prof := tracing.NewGasProfile(t, actorNamer(names))
	if p.flame != "" {
		if err := createOutput(p.flame, func(w io.Writer) error {
			return prof.WriteFlameGraph(w, tracing.FlameOptions{Title: title})
		}); err != nil {
			return err
		}
	}
	if p.pprof != "" {
		if err := createOutput(p.pprof, func(w io.Writer) error { return prof.WritePprof(w, title) }); err != nil {
			return err
		}
	}
	if p.folded != "" {
		if err := createOutput(p.folded, prof.WriteFolded); err != nil {
			return err
		}
	}
	return nil
}

// actorNames maps every code CID of the loaded bundles to its manifest name.
func actorNames(b *vectors.Bundles) map[cid.Cid]string {
	names := map[cid.Cid]string{}
	if b == nil {
		return names
	}
	for _, m := range b.Manifests {
		for _, e := range m.Entries {
			names[e.Code] = e.Name
		}
	}
	return names
}

// actorNamer names a call by the manifest name of the code it invoked.
func actorNamer(names map[cid.Cid]string) func(*tracing.ExecutionTrace) string {
	return func(t *tracing.ExecutionTrace) string {
		if t.InvokedActor == nil {
			return ""
		}
		return names[t.InvokedActor.State.Code]
	}
}

// profileTitle is the flame graph's heading for a vector: its id, and the
// receipt's exit code and gas_used (the graph's own total sums whole-gas
// charges each rounded up, so it can exceed gas_used by under 1 gas per
// charge).
func profileTitle(o *vectors.Outcome) string {
	title := "gas flame graph"
	if o.ID != "" {
		title += ": " + o.ID
	}
	if o.Got != nil {
		title += fmt.Sprintf(" (exit %d, receipt gas_used %d)", o.Got.ExitCode, o.Got.GasUsed)
	}
	return title
}
