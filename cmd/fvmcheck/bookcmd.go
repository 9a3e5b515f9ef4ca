package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
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
func bookCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("book", "--bundles DIR [--nv N] [-run REGEXP] [--out DIR]", stderr)
	bundles := fs.String("bundles", "", "directory of mainnet bundles (vN/builtin-actors-mainnet.car or vN.tar.zst)")
	nvs := fs.String("nv", "", "network versions to run, comma-separated (default: 16 to 28)")
	filter := fs.String("run", "", "run only the scenarios whose name matches this regexp")
	out := fs.String("out", "", "write every scenario's messages as test vectors under this directory")
	engine := fs.String("engine", string(book.Compiler), "wasm engine: compiler or interpreter")
	reach := fs.String("reachability", string(book.Strict), "reachability for nv16–20: strict or compat")
	cache := fs.String("cache", defaultCacheDir(), "compilation cache directory")
	list := fs.Bool("list", false, "list the scenarios and exit")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "fvmcheck book: "+format+"\n", a...)
		return exitUsage
	}
	if *list {
		for _, s := range book.Scenarios() {
			fmt.Fprintf(stdout, "%-14s %s\n", s[0], s[1])
		}
		return exitOK
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if *bundles == "" {
		return fail("--bundles DIR is required")
	}
	if st, err := os.Stat(*bundles); err != nil || !st.IsDir() {
		return fail("--bundles %s: not a directory", *bundles)
	}
	o := book.Options{Bundles: *bundles, Engine: book.Engine(*engine), Reachability: book.Reachability(*reach),
		CacheDir: *cache, Out: *out}
	if o.Engine != book.Compiler && o.Engine != book.Interpreter {
		return fail("--engine %q: want compiler or interpreter", *engine)
	}
	if o.Reachability != book.Strict && o.Reachability != book.Compat {
		return fail("--reachability %q: want strict or compat", *reach)
	}
	if *nvs != "" {
		known := map[network.Version]bool{}
		for _, v := range rules.Supported() {
			known[v] = true
		}
		for _, s := range strings.Split(*nvs, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || !known[network.Version(n)] {
				return fail("--nv %q: want network versions among %v", s, rules.Supported())
			}
			o.NetworkVersions = append(o.NetworkVersions, network.Version(n))
		}
		sort.Slice(o.NetworkVersions, func(i, j int) bool { return o.NetworkVersions[i] < o.NetworkVersions[j] })
	}
	if *filter != "" {
		re, err := regexp.Compile(*filter)
		if err != nil {
			return fail("-run: %v", err)
		}
		o.Run = re
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	fmt.Fprintf(stdout, "book: %s\n", book.ProofNotice)
	o.OnLine = func(l book.Line) { fmt.Fprintln(stdout, l) }
	sum, err := book.Run(ctx, o)
	switch {
	case errors.Is(err, book.ErrNoScenario):
		return fail("-run %q matches no scenario", *filter)
	case errors.Is(err, genesis.ErrNoBundle):
		return fail("%v", err)
	case err != nil && sum == nil:
		fmt.Fprintf(stderr, "fvmcheck book: %v\n", err)
		return exitUsage
	}
	ran := 0
	for _, v := range sum.Versions {
		switch {
		case v.Refused:
			fmt.Fprintf(stdout, "nv%d: refused by the kernel\n", v.NetworkVersion)
		case v.NoBundle:
			fmt.Fprintf(stdout, "nv%d: no bundle\n", v.NetworkVersion)
		default:
			ran++
			fmt.Fprintf(stdout, "nv%d: %d passed, %d failed, %d not applicable (%s)\n", v.NetworkVersion, v.Passed, v.Failed, v.NotApplicable, v.Elapsed.Round(1e6))
		}
	}
	if r := sum.Refused(); len(r) > 0 {
		fmt.Fprintf(stdout, "refused network versions: %v\n", r)
	}
	if err != nil {
		fmt.Fprintf(stderr, "fvmcheck book: %v\n", err)
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", sum.Passed, sum.Failed)
	switch {
	case err != nil || sum.Failed > 0:
		return exitFailed
	case ran == 0 && len(sum.Refused()) == 0:
		fmt.Fprintf(stderr, "fvmcheck book: no bundle under %s (want vN/%s or vN.tar.zst)\n", *bundles, "builtin-actors-mainnet.car")
		return exitUsage
	}
	return exitOK
}
