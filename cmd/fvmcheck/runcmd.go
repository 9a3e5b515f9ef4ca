package main

import (
	"encoding/json"
	"fmt"
	"io"
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
	cpuprofile   cpuProfile
}

func parseRunFlags(e *env, args []string) (*runOptions, []string, int) {
	fs := newFlagSet("run", "[flags] [PATH... | -]", e.stderr)
	o := &runOptions{}
	fs.Var(&o.bundles, "bundles", "builtin-actors bundle: CAR, lotus .tar.zst, or directory searched recursively (repeatable)")
	filter := fs.String("run", "", "run only vectors whose path matches this regexp")
	fs.IntVar(&o.jobs, "j", runtime.NumCPU(), "number of vectors run at once")
	reach := fs.String("reachability", string(vectors.ReachabilityStrict), "reachability enforcement for nv16–20: strict or compat (nv21+: FIP-0071 is consensus)")
	engine := fs.String("engine", string(vectors.EngineCompiler), engineHelp)
	fs.StringVar(&o.cache, "cache", defaultCacheDir(), "compilation cache directory (\"\": none)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object per vector on stdout")
	fs.BoolVar(&o.verbose, "v", false, "also list passing vectors")
	o.cpuprofile.addFlag(fs)
	if code, done := parseFlags(fs, args); done {
		return nil, nil, code
	}
	var err error
	if *filter != "" {
		if o.filter, err = regexp.Compile(*filter); err != nil {
			return nil, nil, usageError(e, "run", "-run: %v", err)
		}
	}
	if o.jobs < 1 {
		return nil, nil, usageError(e, "run", "-j %d: want at least 1", o.jobs)
	}
	if o.reachability, err = vectors.ParseReachability(*reach); err != nil {
		return nil, nil, usageError(e, "run", "--%v", err)
	}
	if o.engine, err = vectors.ParseEngine(*engine); err != nil {
		return nil, nil, usageError(e, "run", "--%v", err)
	}
	return o, fs.Args(), -1
}

func runCmd(e *env, args []string) int {
	start := time.Now()
	opts, paths, code := parseRunFlags(e, args)
	if code >= 0 {
		return code
	}
	if paths, code = expandStdin(e, "run", paths); code >= 0 {
		return code
	}
	if code := checkPaths(e, "run", append(paths, opts.bundles...)); code >= 0 {
		return code
	}
	if code := checkCacheDir(e, "run", opts.cache); code >= 0 {
		return code
	}
	if err := opts.cpuprofile.start(); err != nil {
		return usageError(e, "run", "%v", err)
	}
	defer opts.cpuprofile.stop()

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
				return usageError(e, "run", "the embedded suite is empty; give vector PATHs")
			}
			return demo(e.stdout)
		}
		cfg.ReadFile = vectors.ReadSuiteFile
	} else {
		paths = vectors.CollectPaths(paths)
	}
	paths = vectors.FilterPaths(paths, opts.filter)
	if len(paths) == 0 {
		return usageError(e, "run", "no vector to run (no *.json found, or -run matched none)")
	}

	if len(opts.bundles) > 0 {
		b, err := vectors.OpenBundles(opts.bundles...)
		if err != nil {
			return usageError(e, "run", "%v", err)
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
			return usageError(e, "run", "%v", err)
		}
	}
	if vectors.DefaultDriver != nil {
		d, err := vectors.DefaultDriver(vectors.DriverOptions{CacheDir: opts.cache})
		if err != nil {
			return usageError(e, "run", "starting the kernel: %v", err)
		}
		cfg.Driver = d
		noteProofsTrusted(e, "run")
	} else {
		fmt.Fprintln(e.stderr, "fvmcheck run: no kernel driver is linked into this build, so no vector can run")
	}

	bar := newProgress(e.stderr)
	enc := json.NewEncoder(e.stdout)
	reported := make([]vectors.Outcome, 0, len(paths))
	cfg.OnOutcome = func(done, total int, o *vectors.Outcome) {
		if e.ctx.Err() != nil {
			return // interrupted: what is still finishing is not reported
		}
		reported = append(reported, *o)
		bar.clear()
		if opts.json {
			_ = enc.Encode(o)
		} else {
			printOutcome(e.stdout, o, opts.verbose)
		}
		bar.draw(done, total)
	}
	outs := vectors.RunAll(e.ctx, cfg, paths)
	bar.clear()

	if e.ctx.Err() != nil {
		p, f, s := vectors.Counts(reported)
		fmt.Fprintf(e.stderr, "fvmcheck run: interrupted: %d of %d vectors had finished (%d passed, %d failed, %d skipped)\n",
			len(reported), len(paths), p, f, s)
		return exitInterrupted
	}
	passed, failed, skipped := vectors.Counts(outs)
	fmt.Fprintf(e.stderr, "fvmcheck run: %d vectors in %v with -j %d, reachability=%s, engine=%s, peak memory %s\n",
		len(outs), time.Since(start).Round(time.Millisecond), opts.jobs, opts.reachability, opts.engine, formatBytes(peakMemory()))
	summary := e.stdout
	if opts.json {
		summary = e.stderr
	}
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
