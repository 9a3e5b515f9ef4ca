package tracing

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/google/pprof/profile"
)

// WritePprof writes the profile in pprof's format (a gzipped protocol
// buffer, github.com/google/pprof/proto/profile.proto) that `go tool
// pprof`, speedscope and Pyroscope open. One sample type, "gas" in units
// of gas; a sample per charge frame, whose stack is the path of call
// frames from the message down to the charge (the charge's name is the
// leaf "function"). So `go tool pprof -top` lists the charges by their own
// gas (flat) and the actor methods by the gas below them (cum).
func (p *GasProfile) WritePprof(w io.Writer, comments ...string) error {
	prof := &profile.Profile{
		SampleType:        []*profile.ValueType{{Type: "gas", Unit: "gas"}},
		DefaultSampleType: "gas",
		PeriodType:        &profile.ValueType{Type: "gas", Unit: "gas"},
		Period:            1,
		Comments:          comments,
	}
	locations := map[frameKey]*profile.Location{}
	location := func(f *GasFrame) *profile.Location {
		k := frameKey{f.Name, f.Charge}
		if l := locations[k]; l != nil {
			return l
		}
		id := uint64(len(prof.Function) + 1)
		fn := &profile.Function{ID: id, Name: f.Name, SystemName: f.Name}
		l := &profile.Location{ID: id, Line: []profile.Line{{Function: fn}}}
		prof.Function = append(prof.Function, fn)
		prof.Location = append(prof.Location, l)
		locations[k] = l
		return l
	}
	var stack []*profile.Location // root first
	var walk func(f *GasFrame)
	walk = func(f *GasFrame) {
		stack = append(stack, location(f))
		if f.Charge {
			leafFirst := make([]*profile.Location, len(stack))
			for i, l := range stack {
				leafFirst[len(stack)-1-i] = l
			}
			prof.Sample = append(prof.Sample, &profile.Sample{Location: leafFirst, Value: []int64{f.Gas}})
		}
		for _, c := range f.Children {
			walk(c)
		}
		stack = stack[:len(stack)-1]
	}
	walk(p.Root)
	if err := prof.CheckValid(); err != nil {
		return fmt.Errorf("tracing: pprof profile: %w", err)
	}
	return prof.Write(w)
}

// WriteFolded writes the profile as folded stacks, the text format of
// flamegraph.pl, inferno and speedscope: one line per charge frame, the
// frame names from the message down joined by ";" and then a space and the
// gas. Frame names hold no ";".
func (p *GasProfile) WriteFolded(w io.Writer) error {
	bw := bufio.NewWriter(w)
	var path []string
	var walk func(f *GasFrame)
	walk = func(f *GasFrame) {
		path = append(path, strings.ReplaceAll(f.Name, ";", ","))
		if f.Charge {
			fmt.Fprintf(bw, "%s %d\n", strings.Join(path, ";"), f.Gas)
		}
		for _, c := range f.Children {
			walk(c)
		}
		path = path[:len(path)-1]
	}
	walk(p.Root)
	return bw.Flush()
}
