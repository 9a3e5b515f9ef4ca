// Package book runs the scenario book: workflows of the real builtin-actors
// bundles (v8 … v18) on gofvm at network versions 16 to 28, each from a
// genesis built the way Lotus builds one (package genesis), each step
// asserting its exit code and the state effects the actors define. Proofs
// are not verified: like the test-vector runner, the book trusts every seal,
// PoSt and aggregate proof (kernel/crypto's trusting verifier), and says so.
//
// The bundles are never part of the repository: Run reads them from a
// directory laid out as .conformance/bundles (vN/builtin-actors-mainnet.car
// or vN.tar.zst).
package book

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/book/internal/scenarios"
	"github.com/gofvm/gofvm/genesis"
	"github.com/gofvm/gofvm/kernel"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/rules"
)

// Engine selects wazero's compiler or interpreter.
type Engine string

const (
	Compiler    Engine = "compiler"
	Interpreter Engine = "interpreter"
)

// Reachability is the kernel's reachability mode for nv ≤ 20 (from nv21
// FIP-0071 is consensus and the mode no longer applies).
type Reachability string

const (
	Strict Reachability = "strict"
	Compat Reachability = "compat"
)

// Options configure a run.
type Options struct {
	// Bundles is the directory holding the mainnet bundles.
	Bundles string
	// NetworkVersions to run (empty: every version of rules.Supported()).
	NetworkVersions []network.Version
	// Run selects scenarios by name (nil: all).
	Run          *regexp.Regexp
	Engine       Engine
	Reachability Reachability
	// CacheDir is wazero's compilation cache ("" = none).
	CacheDir string
	// Out, when set, is where every scenario's explicit messages are
	// written as test vectors (see WriteVectors).
	Out string
	// Jobs is how many network versions run at once (≤ 1: one at a time).
	// The lines and the summary do not depend on it.
	Jobs int
	// OnLine receives each output line as soon as it is known (in version
	// order), from one goroutine at a time.
	OnLine func(Line)
}

// Status of a line.
type Status string

const (
	Pass Status = "ok"
	Fail Status = "FAIL"
	// Refused: the kernel does not run the network version (yet).
	Refused Status = "refused"
	// NoBundle: the bundles directory has no bundle for the version.
	NoBundle Status = "no bundle"
	// NotApplicable: the scenario does not exist at this version.
	NotApplicable Status = "n/a"
)

// Line is one line of the report: a step group (Group set) or a scenario's
// verdict (Group empty), or a version the kernel refused (Scenario empty).
type Line struct {
	NetworkVersion network.Version
	ActorsVersion  int
	Scenario       string
	Group          string
	Status         Status
	Messages       int
	// Detail is why a line failed, was refused or does not apply.
	Detail string
}

func (l Line) String() string {
	head := fmt.Sprintf("nv%d", l.NetworkVersion)
	switch {
	case l.Scenario == "":
		return fmt.Sprintf("%s %s: %s", head, l.Status, l.Detail)
	case l.Group != "":
		s := fmt.Sprintf("%s   %-4s %s/%s (%d messages)", head, l.Status, l.Scenario, l.Group, l.Messages)
		if l.Detail != "" {
			s += "\n" + indent(l.Detail)
		}
		return s
	default:
		s := fmt.Sprintf("%s %-4s %s (actors v%d, %d messages)", head, l.Status, l.Scenario, l.ActorsVersion, l.Messages)
		if l.Detail != "" {
			s += ": " + l.Detail
		}
		return s
	}
}

// VersionSummary counts one network version's scenarios.
type VersionSummary struct {
	NetworkVersion network.Version
	Passed, Failed int
	NotApplicable  int
	Refused        bool
	NoBundle       bool
	Elapsed        time.Duration
}

// Summary is a whole run.
type Summary struct {
	Versions []VersionSummary
	Passed   int
	Failed   int
	Elapsed  time.Duration
}

// Refused lists the network versions the kernel refused.
func (s *Summary) Refused() []network.Version {
	var out []network.Version
	for _, v := range s.Versions {
		if v.Refused {
			out = append(out, v.NetworkVersion)
		}
	}
	return out
}

// ProofNotice is what a run prints about proofs.
const ProofNotice = "proofs are not verified: every seal, PoSt and aggregate proof is accepted (" +
	"the test-vector runner's trusting verifier)"

// Scenarios lists the book's scenarios as name and summary.
func Scenarios() [][2]string {
	var out [][2]string
	for _, s := range scenarios.All() {
		out = append(out, [2]string{s.Name, s.Summary})
	}
	return out
}

// ErrNoScenario is returned when Run selects nothing.
var ErrNoScenario = errors.New("no scenario matches")

// Run runs the book. It returns an error only for a problem with the run
// itself (no bundles, no scenario selected, an engine that cannot be built);
// failed scenarios are in the Summary.
func Run(ctx context.Context, o Options) (*Summary, error) {
	start := time.Now()
	var selected []*scenario.Scenario
	for _, s := range scenarios.All() {
		if o.Run == nil || o.Run.MatchString(s.Name) {
			selected = append(selected, s)
		}
	}
	if len(selected) == 0 {
		return nil, ErrNoScenario
	}
	nvs := o.NetworkVersions
	if len(nvs) == 0 {
		nvs = rules.Supported()
	}
	eng, err := newEngine(ctx, o)
	if err != nil {
		return nil, err
	}
	defer kernel.CloseEngine(ctx, eng)
	jobs := o.Jobs
	if jobs < 1 {
		jobs = 1
	}
	if jobs > len(nvs) {
		jobs = len(nvs)
	}
	// Versions run on jobs workers; their lines reach OnLine in version
	// order, each version's as they come once the versions before it are
	// done, so the output is the same for any Jobs.
	type result struct {
		vs  VersionSummary
		err error
	}
	lines := make([]chan Line, len(nvs))
	results := make([]chan result, len(nvs))
	for i := range nvs {
		lines[i] = make(chan Line, 4096)
		results[i] = make(chan result, 1)
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for j := 0; j < jobs; j++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				var r result
				if r.err = ctx.Err(); r.err == nil {
					r.vs, r.err = runVersion(ctx, o, eng, nvs[i], selected, func(l Line) { lines[i] <- l })
				}
				close(lines[i])
				results[i] <- r
			}
		}()
	}
	go func() {
		for i := range nvs {
			work <- i
		}
		close(work)
	}()
	sum := &Summary{}
	var firstErr error
	for i := range nvs {
		for l := range lines[i] {
			if o.OnLine != nil {
				o.OnLine(l)
			}
		}
		r := <-results[i]
		if r.err != nil {
			if firstErr == nil {
				firstErr = r.err
			}
			continue
		}
		if firstErr != nil {
			continue
		}
		sum.Versions = append(sum.Versions, r.vs)
		sum.Passed += r.vs.Passed
		sum.Failed += r.vs.Failed
	}
	wg.Wait()
	sum.Elapsed = time.Since(start)
	return sum, firstErr
}

func newEngine(ctx context.Context, o Options) (kernel.Engine, error) {
	opts := []engine.Option{engine.WithPrewarm(0)}
	switch o.Engine {
	case Interpreter:
		opts = append(opts, engine.WithInterpreter())
	case Compiler, "":
		if o.CacheDir != "" {
			opts = append(opts, engine.WithCompilationCacheDir(o.CacheDir))
		}
	default:
		return nil, fmt.Errorf("book: engine %q: want compiler or interpreter", o.Engine)
	}
	return kernel.NewWasmEngine(ctx, opts...)
}

func runVersion(ctx context.Context, o Options, eng kernel.Engine, nv network.Version, selected []*scenario.Scenario, emit func(Line)) (VersionSummary, error) {
	start := time.Now()
	vs := VersionSummary{NetworkVersion: nv}
	w, err := NewWorld(ctx, WorldOptions{Bundles: o.Bundles, NetworkVersion: nv, Engine: eng,
		Reachability: o.Reachability, Record: o.Out != ""})
	var refused *RefusedError
	if errors.As(err, &refused) {
		vs.Refused = true
		emit(Line{NetworkVersion: nv, Status: Refused, Detail: refused.Error()})
		return vs, nil
	}
	if errors.Is(err, genesis.ErrNoBundle) && len(o.NetworkVersions) == 0 {
		// Running every version: say which have no bundle and go on.
		vs.NoBundle = true
		emit(Line{NetworkVersion: nv, Status: NoBundle, Detail: err.Error()})
		return vs, nil
	}
	if err != nil {
		return vs, err
	}
	for _, s := range selected {
		res := scenario.Run(ctx, w, s)
		if res.Status == scenario.NotApplicable {
			vs.NotApplicable++
			emit(Line{NetworkVersion: nv, ActorsVersion: w.ActorsVersion, Scenario: s.Name, Status: NotApplicable, Detail: res.Why})
			continue
		}
		for _, g := range res.Groups {
			l := Line{NetworkVersion: nv, ActorsVersion: w.ActorsVersion, Scenario: s.Name, Group: g.Name,
				Status: Status(g.Status), Messages: g.Messages}
			if len(g.Failures) > 0 {
				l.Detail = joinLines(g.Failures)
			}
			emit(l)
		}
		l := Line{NetworkVersion: nv, ActorsVersion: w.ActorsVersion, Scenario: s.Name, Status: Status(res.Status), Messages: res.Messages}
		if res.Status == scenario.Pass {
			vs.Passed++
		} else {
			vs.Failed++
		}
		if o.Out != "" {
			if err := writeVectors(o.Out, w, res); err != nil {
				return vs, fmt.Errorf("book: writing the vectors of %s at nv%d: %w", s.Name, nv, err)
			}
		}
		emit(l)
	}
	vs.Elapsed = time.Since(start)
	return vs, nil
}

// ProofVerifier is the verifier the book runs with.
func proofVerifier() kernel.ProofVerifier { return fvmcrypto.TrustAllProofsForConformanceVectorsOnly() }
