package main

import (
	"context"
	"fmt"
	"io"

	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	"github.com/tetratelabs/wazero"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/syscalls"
	"github.com/gofvm/gofvm/vectors"
)

// actorsCmd loads bundles as run does, then instruments and compiles every
// actor of every manifest for the network version its ABI belongs to, and
// lists them.
func actorsCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("actors", "--bundles PATH [--bundles PATH ...] [flags]", stderr)
	var bundles pathList
	fs.Var(&bundles, "bundles", "builtin-actors bundle: CAR, lotus .tar.zst, or directory searched recursively (repeatable)")
	engineName := fs.String("engine", string(vectors.EngineCompiler), "wasm engine: compiler or interpreter")
	cache := fs.String("cache", defaultCacheDir(), "compilation cache directory")
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
	b, err := vectors.LoadBundles(bundles...)
	if err != nil {
		fmt.Fprintf(stderr, "fvmcheck actors: %v\n", err)
		return exitUsage
	}

	ctx := context.Background()
	opts := []engine.Option{engine.WithHostModules(func(ctx context.Context, r wazero.Runtime, v engine.Variant) error {
		return syscalls.Register(ctx, r, variantNV(v))
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

	compiled, failed := 0, 0
	seen := map[cid.Cid]bool{} // one bundle given twice (a .tar.zst and its CAR) is listed once
	for _, m := range b.Manifests {
		if seen[m.Root] {
			continue
		}
		seen[m.Root] = true
		v := bundleVariant(m)
		codes := make([]engine.Code, 0, len(m.Entries))
		for _, e := range m.Entries {
			blk, err := b.Blockstore().Get(ctx, e.Code)
			if err != nil {
				fmt.Fprintf(stderr, "fvmcheck actors: %s: code %s (%s): %v\n", m.Source, e.Code, e.Name, err)
				return exitUsage
			}
			codes = append(codes, engine.Code{CID: e.Code, Wasm: blk.RawData()})
		}
		mods, _ := eng.LoadAll(ctx, codes, v)
		fmt.Fprintf(stdout, "bundle %s: manifest %s, %s (%s ABI), %d actors\n",
			sourceName(m), m.Root, fmt.Sprintf("nv%d", variantNV(v)), abiName(v), len(m.Entries))
		width := len("name")
		for _, e := range m.Entries {
			width = max(width, len(e.Name))
		}
		row := func(name, code, wasm, inst, ms string) {
			fmt.Fprintf(stdout, "  %-*s  %-62s  %10s  %12s  %10s\n", width, name, code, wasm, inst, ms)
		}
		row("name", "code", "wasm bytes", "instrumented", "compile ms")
		for i, e := range m.Entries {
			if mods[i] == nil {
				// LoadAll reports only the first error; Load answers each
				// failed code from the engine's cache of failures.
				_, err := eng.Load(ctx, e.Code, codes[i].Wasm, v)
				row(e.Name, e.Code.String(), fmt.Sprint(len(codes[i].Wasm)), "FAILED", "-")
				fmt.Fprintf(stdout, "    %v\n", err)
				failed++
				continue
			}
			mod := mods[i]
			row(e.Name, e.Code.String(), fmt.Sprint(mod.WasmSize()), fmt.Sprint(mod.InstrumentedSize()),
				fmt.Sprintf("%.1f", float64(mod.CompileTime().Microseconds())/1000))
			compiled++
		}
	}
	fmt.Fprintf(stdout, "%d actors compiled\n", compiled)
	if failed > 0 {
		fmt.Fprintf(stdout, "%d actors failed to compile\n", failed)
		return exitFailed
	}
	return exitOK
}

// bundleVariant decides a bundle's ABI by its manifest: the v3 ABI (nv18)
// bundles are the first with the EVM family (placeholder, eam, ethaccount,
// conformance.md §1.6); anything else is a v9-shaped bundle (nv17).
func bundleVariant(m actors.BundleManifest) engine.Variant {
	for _, e := range m.Entries {
		switch e.Name {
		case "placeholder", "eam", "ethaccount":
			return engine.V3
		}
	}
	return engine.V2
}

func variantNV(v engine.Variant) network.Version {
	switch v {
	case engine.V3:
		return network.Version18
	case engine.V4:
		return network.Version21
	}
	return network.Version17
}

func abiName(v engine.Variant) string {
	switch v {
	case engine.V3:
		return "v3"
	case engine.V4:
		return "v4"
	}
	return "v2"
}

func sourceName(m actors.BundleManifest) string {
	if m.Source == "" {
		return "(stream)"
	}
	return m.Source
}
