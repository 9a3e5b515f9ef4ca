package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/chain"
	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/vectors"
)

// networks are the chains replay and validate know by name. Tests add
// their own.
var networks = map[string]func() *chain.Network{"mainnet": chain.Mainnet}

// chainFlags are the flags replay and validate share.
type chainFlags struct {
	rpc, cache, network, token string
	bundles                    pathList
	trustNode                  bool
	engine                     vectors.Engine
	reachability               vectors.Reachability
	timeout                    time.Duration
	codeCache                  string
}

func addChainFlags(fs *flag.FlagSet, o *chainFlags, reach, eng *string) {
	fs.StringVar(&o.rpc, "rpc", "", "Lotus JSON-RPC endpoint (…/rpc/v1); empty: the cache only")
	fs.StringVar(&o.token, "token", "", "API token sent as Authorization: Bearer (private nodes)")
	fs.StringVar(&o.cache, "cache", defaultChainCache(), "block cache directory (verified blocks, checked answers)")
	fs.StringVar(&o.network, "network", "mainnet", "network: upgrade schedule, drand, supply rule")
	fs.Var(&o.bundles, "bundles", "builtin-actors bundle: CAR, lotus .tar.zst, or directory (repeatable; actor code and migrations)")
	fs.BoolVar(&o.trustNode, "trust-node", false, "take network version, circulating supply and randomness from the node's state methods (full nodes)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "deadline of one RPC attempt")
	fs.StringVar(reach, "reachability", string(vectors.ReachabilityCompat), "reachability enforcement for nv16–20: compat (the reference) or strict (nv21+: FIP-0071 is consensus)")
	fs.StringVar(eng, "engine", string(vectors.EngineCompiler), "wasm engine: compiler or interpreter")
	fs.StringVar(&o.codeCache, "code-cache", defaultCacheDir(), "compilation cache directory")
}

func defaultChainCache() string {
	d := defaultCacheDir()
	if d == "" {
		return ""
	}
	return filepath.Join(d, "chain")
}

// check validates the shared flags after parsing.
func (o *chainFlags) check(reach, eng string) error {
	var err error
	if o.reachability, err = vectors.ParseReachability(reach); err != nil {
		return fmt.Errorf("--%v", err)
	}
	if o.engine, err = vectors.ParseEngine(eng); err != nil {
		return fmt.Errorf("--%v", err)
	}
	if _, ok := networks[o.network]; !ok {
		return fmt.Errorf("--network %q: unknown", o.network)
	}
	return nil
}

// open builds the node: bundles, engine, cache, endpoint.
func (o *chainFlags) open(ctx context.Context) (*chain.Node, map[cid.Cid]string, error) {
	cfg := chain.Config{URL: o.rpc, CacheDir: o.cache, Network: networks[o.network](), TrustNodeFacts: o.trustNode,
		Verifier: chain.HistoryProofs{}, Timeout: o.timeout, Reachability: kernel.ReachabilityCompat}
	if o.reachability == vectors.ReachabilityStrict {
		cfg.Reachability = kernel.ReachabilityStrict
	}
	if o.token != "" {
		cfg.Header = http.Header{"Authorization": []string{"Bearer " + o.token}}
	}
	var names map[cid.Cid]string
	if len(o.bundles) > 0 {
		b, err := vectors.LoadBundles(o.bundles...)
		if err != nil {
			return nil, nil, err
		}
		cfg.Bundles = []chain.Getter{b.Blockstore()}
		names = actorNames(b)
	}
	var eopts []engine.Option
	if o.engine == vectors.EngineInterpreter {
		eopts = append(eopts, engine.WithInterpreter())
	} else if o.codeCache != "" {
		eopts = append(eopts, engine.WithCompilationCacheDir(o.codeCache))
	}
	e, err := kernel.NewWasmEngine(ctx, eopts...)
	if err != nil {
		return nil, nil, fmt.Errorf("starting the kernel: %w", err)
	}
	cfg.Engine = e
	if o.rpc == "" && o.cache == "" {
		return nil, nil, errors.New("give --rpc, --cache, or both")
	}
	n, err := chain.Open(ctx, cfg)
	return n, names, err
}
