package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	"github.com/tetratelabs/wazero"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/kernel/engine/instrument"
	"github.com/gofvm/gofvm/rules"
	"github.com/gofvm/gofvm/syscalls"
	"github.com/gofvm/gofvm/vectors"
)

// actorsCmd loads bundles as run does, then instruments and compiles every
// actor of every manifest for the FVM line whose syscall ABI the bundle's
// modules import (or the line of --nv), and lists them.
func actorsCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("actors", "--bundles PATH [--bundles PATH ...] [flags]", stderr)
	var bundles pathList
	fs.Var(&bundles, "bundles", "builtin-actors bundle: CAR, lotus .tar.zst, or directory searched recursively (repeatable)")
	engineName := fs.String("engine", string(vectors.EngineCompiler), "wasm engine: compiler or interpreter")
	cache := fs.String("cache", defaultCacheDir(), "compilation cache directory")
	nvFlag := fs.Int("nv", 0, "compile every bundle for this network version's FVM line instead of the one its imports show")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if len(bundles) == 0 {
		fmt.Fprintln(stderr, "fvmcheck actors: --bundles is required")
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "fvmcheck actors: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	kind, err := vectors.ParseEngine(*engineName)
	if err != nil {
		fmt.Fprintf(stderr, "fvmcheck actors: --%v\n", err)
		return exitUsage
	}
	var forced engine.Variant
	if *nvFlag != 0 {
		r, err := rules.For(network.Version(*nvFlag))
		if err == nil {
			forced, err = engine.VariantOf(r.Engine)
		}
		if err != nil {
			fmt.Fprintf(stderr, "fvmcheck actors: --nv: %v\n", err)
			return exitUsage
		}
	}
	b, err := vectors.LoadBundles(bundles...)
	if err != nil {
		fmt.Fprintf(stderr, "fvmcheck actors: %v\n", err)
		return exitUsage
	}

	ctx := context.Background()
	opts := []engine.Option{engine.WithHostModules(func(ctx context.Context, r wazero.Runtime, v engine.Variant) error {
		return syscalls.RegisterABI(ctx, r, syscalls.ABI(v.Line()))
	})}
	if kind == vectors.EngineInterpreter {
		opts = append(opts, engine.WithInterpreter())
	} else if *cache != "" {
		opts = append(opts, engine.WithCompilationCacheDir(*cache))
	}
	eng, err := engine.New(ctx, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "fvmcheck actors: starting the engine: %v\n", err)
		return exitUsage
	}
	defer eng.Close(ctx)

	start := time.Now()
	entries := 0
	compiled, failed := cid.NewSet(), cid.NewSet()
	seen := map[cid.Cid]bool{} // one bundle given twice (a .tar.zst and its CAR) is listed once
	for _, m := range b.Manifests {
		if seen[m.Root] {
			continue
		}
		seen[m.Root] = true
		codes := make([]engine.Code, 0, len(m.Entries))
		for _, e := range m.Entries {
			blk, err := b.Blockstore().Get(ctx, e.Code)
			if err != nil {
				fmt.Fprintf(stderr, "fvmcheck actors: %s: code %s (%s): %v\n", m.Source, e.Code, e.Name, err)
				return exitUsage
			}
			codes = append(codes, engine.Code{CID: e.Code, Wasm: blk.RawData()})
		}
		v, note := forced, "from --nv"
		if v == 0 {
			if v, note, err = bundleLine(codes); err != nil {
				fmt.Fprintf(stderr, "fvmcheck actors: %s: %v; pass --nv to choose\n", sourceName(m), err)
				return exitUsage
			}
		}
		mods, _ := eng.LoadAll(ctx, codes, v)
		fmt.Fprintf(stdout, "bundle %s: manifest %s, %s, %s (%s), %d actors\n",
			sourceName(m), m.Root, lineName(v), versionsOf(v.Line()), note, len(m.Entries))
		width := len("name")
		for _, e := range m.Entries {
			width = max(width, len(e.Name))
		}
		row := func(name, code, wasm, inst, ms string) {
			fmt.Fprintf(stdout, "  %-*s  %-62s  %10s  %12s  %10s\n", width, name, code, wasm, inst, ms)
		}
		row("name", "code", "wasm bytes", "instrumented", "compile ms")
		for i, e := range m.Entries {
			entries++
			if mods[i] == nil {
				// LoadAll reports only the first error; Load answers each
				// failed code from the engine's cache of failures.
				_, err := eng.Load(ctx, e.Code, codes[i].Wasm, v)
				row(e.Name, e.Code.String(), fmt.Sprint(len(codes[i].Wasm)), "FAILED", "-")
				fmt.Fprintf(stdout, "    %v\n", err)
				failed.Add(e.Code)
				continue
			}
			mod := mods[i]
			row(e.Name, e.Code.String(), fmt.Sprint(mod.WasmSize()), fmt.Sprint(mod.InstrumentedSize()),
				fmt.Sprintf("%.1f", float64(mod.CompileTime().Microseconds())/1000))
			compiled.Add(e.Code)
		}
	}
	// A code that failed for one line and loaded for another counts as failed.
	_ = failed.ForEach(func(c cid.Cid) error { compiled.Remove(c); return nil })
	fmt.Fprintf(stdout, "%d manifest entries, %d distinct code CIDs, in %.1f s\n",
		entries, compiled.Len()+failed.Len(), time.Since(start).Seconds())
	fmt.Fprintf(stdout, "%d actors compiled\n", compiled.Len())
	if failed.Len() > 0 {
		fmt.Fprintf(stdout, "%d actors failed to compile\n", failed.Len())
		return exitFailed
	}
	return exitOK
}

// lineMarker is an import whose type exists in only some FVM lines' syscall
// ABIs (fvm-abi.md §3.1, fvm-abi-next.md §3.1). A bundle built for one line
// imports, across its modules, only types that line binds.
type lineMarker struct {
	module, name string
	params       []instrument.ValType
	lines        []engine.Variant
}

var (
	i32, i64 = instrument.I32, instrument.I64
	v2v3     = []engine.Variant{engine.V2, engine.V3}
)

var lineMarkers = []lineMarker{
	{"vm", "abort", []instrument.ValType{i32, i32, i32}, []engine.Variant{engine.V2}},
	{"vm", "exit", []instrument.ValType{i32, i32, i32, i32}, []engine.Variant{engine.V3, engine.V4}},
	{"event", "emit_event", []instrument.ValType{i32, i32}, []engine.Variant{engine.V3}},
	{"event", "emit_event", []instrument.ValType{i32, i32, i32, i32, i32, i32}, []engine.Variant{engine.V4}},
	{"rand", "get_chain_randomness", []instrument.ValType{i32, i64, i64, i32, i32}, v2v3},
	{"rand", "get_beacon_randomness", []instrument.ValType{i32, i64, i64, i32, i32}, v2v3},
	{"rand", "get_chain_randomness", []instrument.ValType{i32, i64}, []engine.Variant{engine.V4}},
	{"rand", "get_beacon_randomness", []instrument.ValType{i32, i64}, []engine.Variant{engine.V4}},
	{"self", "self_destruct", []instrument.ValType{i32, i32}, v2v3},
	{"self", "self_destruct", []instrument.ValType{i32}, []engine.Variant{engine.V4}},
}

// bundleLine decides the FVM line of a bundle from what its modules import:
// every marker import narrows the candidate lines to those that bind it with
// that type. One line left decides; none is an error (the bundle mixes
// ABIs); several (a bundle that imports no marker) choose the oldest, and
// the note says so.
func bundleLine(codes []engine.Code) (engine.Variant, string, error) {
	cands := slices.Clone(engine.Variants[:])
	var evidence []string
	for _, c := range codes {
		m, err := instrument.DecodeModule(c.Wasm, instrument.FVM3)
		if err != nil {
			continue // the load reports it under the actor's row
		}
		for _, im := range m.Imports {
			if im.Kind != instrument.KindFunc || int(im.TypeIdx) >= len(m.Types) {
				continue
			}
			named := false
			var lines []engine.Variant
			for _, mk := range lineMarkers {
				if mk.module != im.Module || mk.name != im.Name {
					continue
				}
				named = true
				if slices.Equal(mk.params, m.Types[im.TypeIdx].Params) {
					lines = mk.lines
				}
			}
			if !named {
				continue
			}
			what := fmt.Sprintf("%s.%s%v", im.Module, im.Name, typeList(m.Types[im.TypeIdx].Params))
			cands = slices.DeleteFunc(cands, func(v engine.Variant) bool { return !slices.Contains(lines, v) })
			if len(cands) == 0 {
				return 0, "", fmt.Errorf("its imports fit no single FVM line (%s after %s)", what, strings.Join(evidence, ", "))
			}
			if !slices.Contains(evidence, what) {
				evidence = append(evidence, what)
			}
		}
	}
	if len(cands) > 1 {
		return cands[0], fmt.Sprintf("imports fit %d lines, the oldest chosen", len(cands)), nil
	}
	return cands[0], "by its imports", nil
}

func typeList(ts []instrument.ValType) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		switch t {
		case instrument.I32:
			names[i] = "i32"
		case instrument.I64:
			names[i] = "i64"
		default:
			names[i] = fmt.Sprintf("0x%02x", byte(t))
		}
	}
	return "(" + strings.Join(names, ",") + ")"
}

// lineName is a variant's syscall ABI as the header shows it.
func lineName(v engine.Variant) string { return fmt.Sprintf("v%d ABI", uint8(v.Line())) }

// versionsOf lists the network versions an FVM line runs ("nv21–28").
func versionsOf(line rules.Engine) string {
	var nvs []network.Version
	for _, nv := range rules.Supported() {
		if rules.MustFor(nv).Engine == line {
			nvs = append(nvs, nv)
		}
	}
	switch len(nvs) {
	case 0:
		return "no network version"
	case 1:
		return fmt.Sprintf("nv%d", nvs[0])
	}
	return fmt.Sprintf("nv%d–%d", nvs[0], nvs[len(nvs)-1])
}

func sourceName(m actors.BundleManifest) string {
	if m.Source == "" {
		return "(stream)"
	}
	return m.Source
}
