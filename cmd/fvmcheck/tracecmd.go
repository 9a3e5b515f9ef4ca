package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/tracing"
	"github.com/gofvm/gofvm/vectors"
)

// traceOptions are the parsed flags of `fvmcheck trace`.
type traceOptions struct {
	bundles      pathList
	reachability vectors.Reachability
	engine       vectors.Engine
	cache        string
	format       string
	profiles     profileFiles
	out          string
	cpuprofile   cpuProfile
}

func parseTraceFlags(e *env, args []string) (*traceOptions, string, int) {
	fs := newFlagSet("trace", "[flags] VECTOR", e.stderr)
	o := &traceOptions{}
	fs.Var(&o.bundles, "bundles", "builtin-actors bundle: CAR, lotus .tar.zst, or directory searched recursively (repeatable)")
	reach := fs.String("reachability", string(vectors.ReachabilityStrict), "reachability enforcement for nv16–20: strict or compat (nv21+: FIP-0071 is consensus)")
	engine := fs.String("engine", string(vectors.EngineCompiler), engineHelp)
	fs.StringVar(&o.cache, "cache", defaultCacheDir(), "compilation cache directory (\"\": none)")
	fs.StringVar(&o.format, "format", "lotus", "trace format on stdout: lotus (ExecutionTrace JSON) or events (JSON lines)")
	o.profiles.addFlags(fs)
	fs.StringVar(&o.out, "o", "", "write the trace to this file instead of stdout")
	o.cpuprofile.addFlag(fs)
	if code, done := parseFlags(fs, args); done {
		return nil, "", code
	}
	if fs.NArg() != 1 {
		return nil, "", usageError(e, "trace", "want exactly one VECTOR, got %d arguments", fs.NArg())
	}
	var err error
	if o.reachability, err = vectors.ParseReachability(*reach); err != nil {
		return nil, "", usageError(e, "trace", "--%v", err)
	}
	if o.engine, err = vectors.ParseEngine(*engine); err != nil {
		return nil, "", usageError(e, "trace", "--%v", err)
	}
	if o.format != "lotus" && o.format != "events" {
		return nil, "", usageError(e, "trace", "--format %q: want lotus or events", o.format)
	}
	return o, fs.Arg(0), -1
}

// traceCmd runs one vector with tracing hooks, writes its trace and says on
// stderr whether the receipt and post-state matched, as run does.
func traceCmd(e *env, args []string) int {
	opts, path, code := parseTraceFlags(e, args)
	if code >= 0 {
		return code
	}
	if code := checkPaths(e, "trace", opts.bundles); code >= 0 {
		return code
	}
	if code := checkCacheDir(e, "trace", opts.cache); code >= 0 {
		return code
	}
	if err := opts.cpuprofile.start(); err != nil {
		return usageError(e, "trace", "%v", err)
	}
	defer opts.cpuprofile.stop()
	cfg := vectors.Config{
		Expected:     vectors.DefaultExpectedFailures(),
		Jobs:         1,
		Reachability: opts.reachability,
		Engine:       opts.engine,
	}
	if len(opts.bundles) > 0 {
		b, err := vectors.OpenBundles(opts.bundles...)
		if err != nil {
			return usageError(e, "trace", "%v", err)
		}
		cfg.Bundles = b
	}
	if _, err := os.Stat(path); err != nil {
		// Not on disk: a vector of the embedded suite ("suite/nv17/…")
		// runs on the suite's own bundles.
		if _, serr := vectors.ReadSuiteFile(filepath.ToSlash(path)); serr != nil {
			return checkPaths(e, "trace", []string{path})
		}
		cfg.ReadFile = vectors.ReadSuiteFile
		if cfg.Bundles == nil {
			cfg.Bundles = vectors.NewBundles()
		}
		if err := cfg.Bundles.AddSuiteBundles(); err != nil {
			return usageError(e, "trace", "%v", err)
		}
	}
	if vectors.DefaultDriver == nil {
		fmt.Fprintf(e.stderr, "fvmcheck trace: %v\n", vectors.ErrNoDriver)
		return exitFailed
	}
	inner, err := vectors.DefaultDriver(vectors.DriverOptions{CacheDir: opts.cache})
	if err != nil {
		return usageError(e, "trace", "starting the kernel: %v", err)
	}
	rec := &tracing.Recorder{}
	cfg.Driver = tracingDriver(inner, rec)
	noteProofsTrusted(e, "trace")

	o := vectors.RunOne(e.ctx, cfg, path)
	if e.ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "fvmcheck trace: interrupted")
		return exitInterrupted
	}
	printVerdict(e.stderr, &o)
	if len(rec.Events) == 0 {
		fmt.Fprintln(e.stderr, "fvmcheck trace: the message produced no trace (it did not reach the kernel)")
		return exitFailed
	}

	names := actorNames(cfg.Bundles)
	if err := writeTrace(e.stdout, opts, rec.Events, names); err != nil {
		fmt.Fprintf(e.stderr, "fvmcheck trace: %v\n", err)
		return exitFailed
	}
	if opts.profiles.any() {
		t, err := tracing.BuildLotusTrace(rec.Events)
		if err == nil {
			err = opts.profiles.write(t, names, profileTitle(&o))
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "fvmcheck trace: %v\n", err)
			return exitFailed
		}
	}
	if o.Status == vectors.Fail {
		return exitFailed
	}
	return exitOK
}

// tracingDriver records the events of every message inner applies.
func tracingDriver(inner vectors.Driver, rec *tracing.Recorder) vectors.Driver {
	return vectors.DriverFunc(func(ctx context.Context, run *vectors.Run) (*vectors.Result, error) {
		run.Hooks = tracing.Merge(run.Hooks, rec.Hooks())
		return inner.Apply(ctx, run)
	})
}

// printVerdict is run's line for one vector, PASS included.
func printVerdict(w io.Writer, o *vectors.Outcome) {
	if o.Status == vectors.Pass {
		fmt.Fprintf(w, "PASS %s\n", o.Path)
		return
	}
	printOutcome(w, o, true)
}

func writeTrace(stdout io.Writer, opts *traceOptions, events []tracing.Event, names map[cid.Cid]string) error {
	w := stdout
	if opts.out != "" {
		f, err := os.Create(opts.out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if opts.format == "events" {
		return tracing.WriteJSONLines(w, events)
	}
	t, err := tracing.BuildLotusTrace(events)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(t)
}
