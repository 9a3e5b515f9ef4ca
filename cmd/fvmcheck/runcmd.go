package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/gofvm/gofvm/vectors"
)

// runOptions are the parsed flags of `fvmcheck run`.
type runOptions struct {
	bundles      pathList
	filter       *regexp.Regexp
	jobs         int
	reachability vectors.Reachability
	engine       vectors.Engine
	cache        string
	json         bool
	verbose      bool
}

func parseRunFlags(args []string, stderr io.Writer) (*runOptions, []string, int, bool) {
	fs := newFlagSet("run", "[flags] [PATH...]", stderr)
	o := &runOptions{}
	fs.Var(&o.bundles, "bundles", "builtin-actors bundle: CAR, lotus .tar.zst, or directory searched recursively (repeatable)")
	filter := fs.String("run", "", "run only vectors whose path matches this regexp")
	fs.IntVar(&o.jobs, "j", runtime.NumCPU(), "number of vectors run at once")
	reach := fs.String("reachability", string(vectors.ReachabilityStrict), "reachability enforcement: strict or compat")
	engine := fs.String("engine", string(vectors.EngineCompiler), "wasm engine: compiler or interpreter")
	fs.StringVar(&o.cache, "cache", defaultCacheDir(), "compilation cache directory")
	fs.BoolVar(&o.json, "json", false, "print one JSON object per vector on stdout")
	fs.BoolVar(&o.verbose, "v", false, "also list passing vectors")
	if code, done := parseFlags(fs, args); done {
		return nil, nil, code, true
	}
	fail := func(format string, a ...any) (*runOptions, []string, int, bool) {
		fmt.Fprintf(stderr, "fvmcheck run: "+format+"\n", a...)
		return nil, nil, exitUsage, true
	}
	var err error
	if *filter != "" {
		if o.filter, err = regexp.Compile(*filter); err != nil {
			return fail("-run: %v", err)
		}
	}
	if o.jobs < 1 {
		return fail("-j %d: want at least 1", o.jobs)
	}
	if o.reachability, err = vectors.ParseReachability(*reach); err != nil {
		return fail("--%v", err)
	}
	if o.engine, err = vectors.ParseEngine(*engine); err != nil {
		return fail("--%v", err)
	}
	return o, fs.Args(), 0, false
}

func defaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "gofvm")
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	start := time.Now()
	opts, paths, code, done := parseRunFlags(args, stderr)
	if done {
		return code
	}

	cfg := vectors.Config{
		Expected:     vectors.DefaultExpectedFailures(),
		Jobs:         opts.jobs,
		Reachability: opts.reachability,
		Engine:       opts.engine,
	}
	if len(paths) == 0 {
		paths = vectors.SuitePaths()
		if len(paths) == 0 {
			if opts.filter != nil || len(opts.bundles) > 0 {
				fmt.Fprintln(stderr, "fvmcheck run: the embedded suite is empty; give vector PATHs")
				return exitUsage
			}
			return demo(stdout)
		}
		cfg.ReadFile = vectors.ReadSuiteFile
	} else {
		paths = vectors.CollectPaths(paths)
	}
	paths = vectors.FilterPaths(paths, opts.filter)
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "fvmcheck run: no vector to run (no *.json found, or -run matched none)")
		return exitUsage
	}

	if len(opts.bundles) > 0 {
		b, err := vectors.LoadBundles(opts.bundles...)
		if err != nil {
			fmt.Fprintf(stderr, "fvmcheck run: %v\n", err)
			return exitUsage
		}
		cfg.Bundles = b
	}
	if cfg.ReadFile != nil {
		// The embedded suite runs on the test actors' bundles embedded
		// beside it (vectors/suite/bundles), plus any given with --bundles.
		if cfg.Bundles == nil {
			cfg.Bundles = vectors.NewBundles()
		}
		if err := cfg.Bundles.AddSuiteBundles(); err != nil {
			fmt.Fprintf(stderr, "fvmcheck run: %v\n", err)
			return exitUsage
		}
	}
	if vectors.DefaultDriver != nil {
		d, err := vectors.DefaultDriver(vectors.DriverOptions{CacheDir: opts.cache})
		if err != nil {
			fmt.Fprintf(stderr, "fvmcheck run: starting the kernel: %v\n", err)
			return exitUsage
		}
		cfg.Driver = d
	}

	out := stdout
	summary := stdout
	if opts.json {
		summary = stderr
	}
	bar := newProgress(stderr)
	enc := json.NewEncoder(out)
	cfg.OnOutcome = func(done, total int, o *vectors.Outcome) {
		bar.clear()
		if opts.json {
			_ = enc.Encode(o)
		} else {
			printOutcome(out, o, opts.verbose)
		}
		bar.draw(done, total)
	}
	// Ctrl-C stops starting new vectors; those are reported as not run.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	outs := vectors.RunAll(ctx, cfg, paths)
	bar.clear()

	passed, failed, skipped := vectors.Counts(outs)
	if cfg.Driver == nil {
		fmt.Fprintln(summary, "note: no kernel driver is linked into this build, so no vector could run")
	} else {
		fmt.Fprintln(summary, "note: proofs are not verified; the vector driver trusts every seal and PoSt, as ref-fvm's conformance runner does")
	}
	fmt.Fprintf(summary, "%d vectors in %v with -j %d, %s=%s, engine=%s, peak memory %s\n",
		len(outs), time.Since(start).Round(time.Millisecond), opts.jobs, "reachability", opts.reachability, opts.engine, formatBytes(peakMemory()))
	fmt.Fprintf(summary, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}

// printOutcome writes the human form: FAIL and SKIP always, PASS with -v,
// details indented under their line.
func printOutcome(w io.Writer, o *vectors.Outcome, verbose bool) {
	switch o.Status {
	case vectors.Pass:
		if verbose {
			fmt.Fprintf(w, "PASS %s\n", o.Path)
		}
		return
	case vectors.Skip:
		fmt.Fprintf(w, "SKIP %s: %s\n", o.Path, o.Reason)
		if verbose && o.Detail != "" {
			fmt.Fprintln(w, indent(o.Detail))
		}
		return
	}
	fmt.Fprintf(w, "FAIL %s: %s\n", o.Path, o.Reason)
	if o.Detail != "" {
		fmt.Fprintln(w, indent(o.Detail))
	}
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
