package main

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/filecoin-project/go-state-types/network"

	"github.com/gofvm/gofvm/book"
	"github.com/gofvm/gofvm/genesis"
	"github.com/gofvm/gofvm/rules"
)

// bookCmd is `fvmcheck book`: the scenario book on the real bundles.
func bookCmd(e *env, args []string) int {
	const cmd = "book"
	fs := newFlagSet(cmd, "--bundles DIR [--nv N[,N…]] [-run REGEXP] [--out DIR]", e.stderr)
	bundles := fs.String("bundles", "", "directory of mainnet bundles (vN/builtin-actors-mainnet.car or vN.tar.zst)")
	nvs := fs.String("nv", "", "network versions to run, comma-separated (default: 16 to 28)")
	filter := fs.String("run", "", "run only the scenarios whose name matches this regexp")
	out := fs.String("out", "", "write every scenario's messages as test vectors under this directory")
	engine := fs.String("engine", string(book.Compiler), engineHelp)
	reach := fs.String("reachability", string(book.Strict), "reachability for nv16–20: strict or compat")
	cache := fs.String("cache", defaultCacheDir(), "compilation cache directory")
	list := fs.Bool("list", false, "list the scenarios and exit")
	jobs := fs.Int("j", 1, "network versions run at once (the output is the same for any -j)")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if *list {
		for _, s := range book.Scenarios() {
			fmt.Fprintf(e.stdout, "%-16s %s\n", s[0], s[1])
		}
		return exitOK
	}
	if fs.NArg() > 0 {
		return usageError(e, cmd, "unexpected argument %q", fs.Arg(0))
	}
	if *jobs < 1 {
		return usageError(e, cmd, "-j %d: want at least 1", *jobs)
	}
	if *bundles == "" {
		return usageError(e, cmd, "--bundles DIR is required")
	}
	if code := checkPaths(e, cmd, []string{*bundles}); code >= 0 {
		return code
	}
	if code := checkCacheDir(e, cmd, *cache); code >= 0 {
		return code
	}
	o := book.Options{Bundles: *bundles, Engine: book.Engine(*engine), Reachability: book.Reachability(*reach),
		CacheDir: *cache, Out: *out, Jobs: *jobs}
	if o.Engine != book.Compiler && o.Engine != book.Interpreter {
		return usageError(e, cmd, "--engine %q: want compiler or interpreter", *engine)
	}
	if o.Reachability != book.Strict && o.Reachability != book.Compat {
		return usageError(e, cmd, "--reachability %q: want strict or compat", *reach)
	}
	if *nvs != "" {
		known := map[network.Version]bool{}
		for _, v := range rules.Supported() {
			known[v] = true
		}
		for _, s := range strings.Split(*nvs, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(s, "nv")))
			if err != nil || !known[network.Version(n)] {
				return usageError(e, cmd, "--nv %q: want network versions among %v", s, rules.Supported())
			}
			o.NetworkVersions = append(o.NetworkVersions, network.Version(n))
		}
		sort.Slice(o.NetworkVersions, func(i, j int) bool { return o.NetworkVersions[i] < o.NetworkVersions[j] })
	}
	if *filter != "" {
		re, err := regexp.Compile(*filter)
		if err != nil {
			return usageError(e, cmd, "-run: %v", err)
		}
		o.Run = re
	}
	noteProofsTrusted(e, cmd)
	o.OnLine = func(l book.Line) { fmt.Fprintln(e.stdout, l) }
	sum, err := book.Run(e.ctx, o)
	switch {
	case e.ctx.Err() != nil:
		fmt.Fprintf(e.stderr, "fvmcheck %s: interrupted\n", cmd)
		return exitInterrupted
	case errors.Is(err, book.ErrNoScenario):
		return usageError(e, cmd, "-run %q matches no scenario", *filter)
	case errors.Is(err, genesis.ErrNoBundle):
		return usageError(e, cmd, "%v", err)
	case err != nil && sum == nil:
		return usageError(e, cmd, "%v", err)
	}
	ran := 0
	for _, v := range sum.Versions {
		switch {
		case v.Refused:
			fmt.Fprintf(e.stdout, "nv%d: refused by the kernel\n", v.NetworkVersion)
		case v.NoBundle:
			fmt.Fprintf(e.stdout, "nv%d: no bundle\n", v.NetworkVersion)
		default:
			ran++
			fmt.Fprintf(e.stdout, "nv%d: %d passed, %d failed, %d not applicable (%s)\n",
				v.NetworkVersion, v.Passed, v.Failed, v.NotApplicable, v.Elapsed.Round(1e6))
		}
	}
	if r := sum.Refused(); len(r) > 0 {
		fmt.Fprintf(e.stdout, "refused network versions: %v\n", r)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "fvmcheck %s: %v\n", cmd, err)
	}
	fmt.Fprintf(e.stdout, "%d passed, %d failed\n", sum.Passed, sum.Failed)
	switch {
	case err != nil || sum.Failed > 0:
		return exitFailed
	case ran == 0 && len(sum.Refused()) == 0:
		return usageError(e, cmd, "no bundle under %s (want vN/builtin-actors-mainnet.car or vN.tar.zst)", *bundles)
	}
	return exitOK
}
