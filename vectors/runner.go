package vectors

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"
)

// Status is a vector's verdict.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip" // an expected failure that failed
)

// Receipt is the comparable part of a run, for reports.
type Receipt struct {
	ExitCode int64  `json:"exit_code"`
	Return   []byte `json:"return"`
	GasUsed  int64  `json:"gas_used"`
	PostRoot string `json:"post_root"` // "" when the driver returned none
}

// MarshalJSON writes an empty return value as "" whether it came as nil
// (what a driver returns) or as zero bytes (what a vector's JSON decodes
// to), so the want and got sides of a report compare equal.
func (r Receipt) MarshalJSON() ([]byte, error) {
	type plain Receipt // without this method
	p := plain(r)
	if p.Return == nil {
		p.Return = []byte{}
	}
	return json.Marshal(p)
}

// Outcome is the verdict on one vector. Nothing in it but Timing depends on
// timing or on the number of workers, so reports without Timing are
// identical for any -j.
type Outcome struct {
	Path   string `json:"path"`
	ID     string `json:"id,omitempty"`
	Status Status `json:"status"`
	// Reason is one line: why it failed or was skipped.
	Reason string `json:"reason,omitempty"`
	// Detail is the multi-line explanation: receipt fields, state diff,
	// or a panic's stack.
	Detail string `json:"detail,omitempty"`
	// ExpectedFailure is the list's reason when the vector is on it.
	ExpectedFailure string   `json:"expected_failure,omitempty"`
	Want            *Receipt `json:"want,omitempty"`
	Got             *Receipt `json:"got,omitempty"`
	// Timing is how long the vector took (nil if it was never started).
	Timing *Timing `json:"timing,omitempty"`
}

// Config is a run's configuration.
type Config struct {
	// Driver applies messages; nil fails every vector with ErrNoDriver.
	Driver Driver
	// Bundles supply actor code; nil means none were given.
	Bundles *Bundles
	// Expected is the expected-failure list (DefaultExpectedFailures for
	// the repository's).
	Expected ExpectedFailures
	// Jobs is the number of vectors run at once (≤ 0: runtime.NumCPU()).
	Jobs         int
	Reachability Reachability
	Engine       Engine
	// ReadFile reads a vector (nil: os.ReadFile); the embedded suite
	// passes its own.
	ReadFile func(path string) ([]byte, error)
	// OnOutcome, when set, receives each outcome in path order as soon as
	// every earlier one is known. Calls are serialised.
	OnOutcome func(done, total int, o *Outcome)
}

// CollectPaths expands arguments into vector paths: files are taken as
// given, directories are walked recursively for *.json. A path that cannot
// be read is kept, so that it is reported as a failed vector rather than
// silently dropped. The result is sorted and without duplicates.
func CollectPaths(args []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() {
			add(a)
			continue
		}
		_ = filepath.WalkDir(a, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				add(p) // unreadable directory: report it
				if e != nil && e.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") {
				add(p)
			}
			return nil
		})
	}
	sort.Strings(out)
	return out
}

// FilterPaths keeps the paths the regexp matches (nil keeps all).
func FilterPaths(paths []string, re *regexp.Regexp) []string {
	if re == nil {
		return paths
	}
	var out []string
	for _, p := range paths {
		if re.MatchString(filepath.ToSlash(p)) {
			out = append(out, p)
		}
	}
	return out
}

// RunAll runs the vectors at paths and returns their outcomes sorted by
// path. Vectors run in parallel; the outcomes do not depend on Jobs.
func RunAll(ctx context.Context, cfg Config, paths []string) []Outcome {
	paths = append([]string(nil), paths...)
	sort.Strings(paths)
	jobs := cfg.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	if jobs > len(paths) {
		jobs = len(paths)
	}
	out := make([]Outcome, len(paths))
	ready := make([]bool, len(paths))
	var mu sync.Mutex
	next, done := 0, 0
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				var o Outcome
				if err := ctx.Err(); err != nil {
					// Interrupted: say so for every vector not started.
					o = Outcome{Path: paths[i], Status: Fail, Reason: "not run: " + err.Error()}
				} else {
					o = RunOne(ctx, cfg, paths[i])
				}
				mu.Lock()
				out[i], ready[i] = o, true
				done++
				for next < len(paths) && ready[next] {
					if cfg.OnOutcome != nil {
						cfg.OnOutcome(done, len(paths), &out[next])
					}
					next++
				}
				mu.Unlock()
			}
		}()
	}
	for i := range paths {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

// RunOne loads, runs and judges one vector. It never panics: a panic
// anywhere below is a failed vector with its stack in Detail.
func RunOne(ctx context.Context, cfg Config, path string) (o Outcome) {
	o.Path = path
	o.Timing = &Timing{}
	clock := startClock()
	defer func() {
		o.Timing.CPUMS = ms(clock.stop())
	}()
	defer func() {
		if r := recover(); r != nil {
			o.Status = Fail
			o.Reason = fmt.Sprintf("panic: %v", r)
			o.Detail = string(debug.Stack())
		}
	}()
	read := cfg.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	data, err := read(path)
	if err != nil {
		// The outcome shows the path already: keep only the cause.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return failed(o, loadErr("read", err))
	}
	v, err := Parse(data)
	if err != nil {
		return failed(o, err)
	}
	o.ID = v.ID
	o.Want = &Receipt{ExitCode: v.Receipt.ExitCode, Return: v.Receipt.ReturnValue, GasUsed: v.Receipt.GasUsed, PostRoot: v.PostRoot.String()}

	bundles := cfg.Bundles
	if bundles == nil {
		bundles = NewBundles()
	}
	codeErr := bundles.CheckCode(ctx, v)
	o.Timing.ParseMS = ms(clock.since())
	if cfg.Driver == nil {
		// Say first what matters most: nothing can run in this build.
		o = failed(o, ErrNoDriver)
		if codeErr != nil {
			o.Detail = "also: " + codeErr.Error()
		}
		return o
	}
	if codeErr != nil {
		return failed(o, codeErr)
	}

	exp, expected := cfg.Expected.Match(path)
	if expected {
		o.ExpectedFailure = exp.Reason
	}
	reason, detail := execute(ctx, cfg, bundles, v, &o)
	switch {
	case reason == "" && expected:
		o.Status = Fail
		o.Reason = "unexpected pass: remove it from the list (vectors/expected_failures.txt)"
	case reason == "":
		o.Status = Pass
	case expected:
		o.Status = Skip
		o.Reason = "expected failure: " + exp.Reason
		o.Detail = "the run failed as expected: " + reason
		if detail != "" {
			o.Detail += "\n" + detail
		}
	default:
		o.Status = Fail
		o.Reason, o.Detail = reason, detail
	}
	return o
}

func failed(o Outcome, err error) Outcome {
	o.Status = Fail
	o.Reason = err.Error()
	return o
}

// execute runs the driver and compares; reason is "" on a match.
func execute(ctx context.Context, cfg Config, bundles *Bundles, v *Vector, o *Outcome) (reason, detail string) {
	run := v.NewRun(bundles.Blockstore(), cfg.Reachability, cfg.Engine)
	start := time.Now()
	res, err := cfg.Driver.Apply(ctx, run)
	o.Timing.ApplyMS = ms(time.Since(start))
	if err != nil {
		return "driver: " + err.Error(), ""
	}
	if res == nil {
		return "driver: " + errors.New("no result and no error").Error(), ""
	}
	o.Got = &Receipt{ExitCode: res.ExitCode, Return: res.Return, GasUsed: res.GasUsed}
	if res.PostRoot.Defined() {
		o.Got.PostRoot = res.PostRoot.String()
	}

	lines, summary := receiptDiff(v.Receipt, res)
	rootDiffers := !res.PostRoot.Equals(v.PostRoot)
	if rootDiffers {
		summary = append(summary, "post-state root differs")
	}
	if len(summary) == 0 {
		return "", ""
	}
	var b strings.Builder
	if len(lines) > 0 {
		b.WriteString("receipt:\n")
		for _, l := range lines {
			b.WriteString("  " + l + "\n")
		}
	}
	if res.Err != nil {
		fmt.Fprintf(&b, "machine error: %v\n", res.Err)
	}
	if rootDiffers {
		if !res.PostRoot.Defined() {
			b.WriteString("post-state root: the driver returned none\n")
		} else {
			b.WriteString(stateDiff(ctx, run.Blockstore, v.PostRoot, res.PostRoot, v.Message))
		}
	}
	return strings.Join(summary, "; "), strings.TrimRight(b.String(), "\n")
}

// Counts tallies outcomes.
func Counts(outs []Outcome) (passed, failed, skipped int) {
	for _, o := range outs {
		switch o.Status {
		case Pass:
			passed++
		case Skip:
			skipped++
		default:
			failed++
		}
	}
	return
}
