package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/gofvm/gofvm/rules"
)

// Variant is the FVM line an engine runtime reproduces (fvm-abi-next.md
// §0.1): the syscall ABI its host modules implement, the instrumentation pass
// (fvm-wasm-instrument 0.2.0 vs 0.4.0), the wasm features it accepts and its
// memory limits (fvm-gas.md §4, fvm-gas-next.md §6). Package rules decides
// which variant runs a network version.
type Variant uint8

const (
	// V2 is ref-fvm 2.12.1 (nv16–17): no FVM memory limit.
	V2 Variant = iota + 1
	// V3 is ref-fvm 3.14.1 (nv18–20): 512 MiB per instance, 2 GiB per call
	// stack.
	V3
	// V4 is ref-fvm 4.8.2 (nv21–28): V3's instrumentation and limits with
	// the v4 syscall ABI.
	V4
)

// Variants lists every supported variant, in order.
var Variants = [...]Variant{V2, V3, V4}

func (v Variant) String() string {
	switch v {
	case V2:
		return "fvm2"
	case V3:
		return "fvm3"
	case V4:
		return "fvm4"
	}
	return fmt.Sprintf("Variant(%d)", uint8(v))
}

func (v Variant) valid() bool { return v >= V2 && v <= V4 }

// VariantOf is the variant that reproduces an FVM line; package rules gives
// the line of each network version (rules.For(nv).Engine).
func VariantOf(line rules.Engine) (Variant, error) {
	switch line {
	case rules.FVMv2:
		return V2, nil
	case rules.FVMv3:
		return V3, nil
	case rules.FVMv4:
		return V4, nil
	}
	return 0, fmt.Errorf("engine: no variant for %v", line)
}

// Line is the FVM line a variant reproduces (its syscall ABI).
func (v Variant) Line() rules.Engine {
	switch v {
	case V2:
		return rules.FVMv2
	case V3:
		return rules.FVMv3
	case V4:
		return rules.FVMv4
	}
	return 0
}

// index maps a valid variant to 0, 1 or 2.
func (v Variant) index() int { return int(v) - 1 }

// memoryLimits reports whether the FVM's instance and call-stack memory
// limits apply (v3 and later).
func (v Variant) memoryLimits() bool { return v >= V3 }

// HostModulesFunc registers the host (syscall) modules of one variant in its
// runtime. It is called once per variant by New; the lines import
// `send.send` and `actor.create_actor` with different signatures
// (conformance.md §3.3), which is why each variant has its own runtime.
type HostModulesFunc func(ctx context.Context, r wazero.Runtime, v Variant) error

// config is the immutable engine configuration. Options copy it.
type config struct {
	interpreter bool
	cacheDir    string
	hostModules HostModulesFunc
	instrument  instrumentFunc
	prewarm     int
}

// Option configures an Engine.
type Option func(*config)

// WithInterpreter selects wazero's interpreter instead of its compiler
// (default). The interpreter compiles ~10× faster and runs ~10× slower.
func WithInterpreter() Option { return func(c *config) { c.interpreter = true } }

// WithCompilationCacheDir keeps wazero's compiled code and our instrumented
// modules in dir, so that a second process does not instrument or compile the
// same code again. Empty means in-memory only.
func WithCompilationCacheDir(dir string) Option { return func(c *config) { c.cacheDir = dir } }

// WithHostModules sets the function that registers the syscall host modules
// in each variant's runtime.
func WithHostModules(f HostModulesFunc) Option { return func(c *config) { c.hostModules = f } }

// withInstrumenter replaces the instrumentation pass (tests only).
func withInstrumenter(f instrumentFunc) Option { return func(c *config) { c.instrument = f } }

// Engine owns one wazero runtime per Variant, the module cache and the pool
// of linear memories. It is safe for concurrent use.
type Engine struct {
	cfg      config
	runtimes [len(Variants)]wazero.Runtime
	cache    wazero.CompilationCache
	modCfg   wazero.ModuleConfig
	pool     *memoryPool

	mu      sync.Mutex
	modules map[moduleKey]*loadEntry

	pwMu   sync.Mutex // orders pwWG.Add against Close
	closed atomic.Bool
	pwWG   sync.WaitGroup
	// prewarmHits counts instances served ready-made (tests, diagnostics).
	prewarmHits atomic.Int64
}

// Features are the wasm features the FVM v3 and v4 runtimes accept
// (fvm-gas.md §4, fvm-gas-next.md §6.2): bulk memory and reference types on
// (3.14.1 and 4.8.2 leave wasmtime's reference types on; wazero cannot have
// bulk memory without them anyway); sign extension and saturating
// float-to-int on; SIMD, multi-value, threads and tail calls off. The
// instrumenter sees every module before wazero does and refuses what the
// reference refuses although wazero would accept it: ref.null, ref.is_null,
// ref.func and typed select (the 0.4.0 stack limiter), externref (the FVM's
// wasmtime has no GC types), a second table or memory.
const Features = FeaturesV2 |
	api.CoreFeatureSignExtensionOps |
	api.CoreFeatureNonTrappingFloatToIntConversion

// FeaturesV2 are the FVM v2 runtime's: the FVM v2 instrumenter cannot decode
// sign extension, saturating truncation or any reference-types op, so the
// reference refuses them; it refuses them here before wazero sees them.
const FeaturesV2 = api.CoreFeaturesV1 |
	api.CoreFeatureBulkMemoryOperations |
	api.CoreFeatureReferenceTypes

func (v Variant) features() api.CoreFeatures {
	if v == V2 {
		return FeaturesV2
	}
	return Features
}

// New builds an engine: one runtime per variant, each with the host modules
// registered by WithHostModules.
func New(ctx context.Context, opts ...Option) (*Engine, error) {
	cfg := config{instrument: defaultInstrument, prewarm: 1}
	for _, o := range opts {
		o(&cfg)
	}
	e := &Engine{
		cfg:     cfg,
		pool:    newMemoryPool(),
		modules: make(map[moduleKey]*loadEntry),
		// Anonymous instances (no name registration, no lock on a name
		// table), no start functions: the FVM never calls `_start`.
		// A fixed rand source: wazero would otherwise seed a fresh
		// math/rand source per instance (~10 µs); actors cannot read it.
		modCfg: wazero.NewModuleConfig().WithName("").WithStartFunctions().WithRandSource(zeroReader{}),
	}
	if cfg.cacheDir != "" {
		c, err := wazero.NewCompilationCacheWithDir(cfg.cacheDir)
		if err != nil {
			return nil, fmt.Errorf("engine: compilation cache: %w", err)
		}
		e.cache = c
	} else {
		e.cache = wazero.NewCompilationCache()
	}
	for _, v := range Variants {
		var rc wazero.RuntimeConfig
		if cfg.interpreter {
			rc = wazero.NewRuntimeConfigInterpreter()
		} else {
			rc = wazero.NewRuntimeConfigCompiler()
		}
		// The 512 MiB instance limit of FVM v3 and v4 is enforced by the memory pool,
		// not by wazero's page limit: wazero would reject at compile time
		// a module whose minimum exceeds its limit, where wasmtime fails
		// the instantiation (fvm-abi.md §5.1 step 3).
		rc = rc.WithCoreFeatures(v.features()).
			WithCompilationCache(e.cache).
			WithCloseOnContextDone(false).
			WithCustomSections(false)
		r := wazero.NewRuntimeWithConfig(ctx, rc)
		e.runtimes[v.index()] = r
		if v.memoryLimits() {
			if err := registerTableHook(ctx, r); err != nil {
				_ = e.Close(ctx)
				return nil, fmt.Errorf("engine: table hook for %s: %w", v, err)
			}
		}
		if cfg.hostModules != nil {
			if err := cfg.hostModules(ctx, r, v); err != nil {
				_ = e.Close(ctx)
				return nil, fmt.Errorf("engine: host modules for %s: %w", v, err)
			}
		}
	}
	return e, nil
}

// zeroReader is the (unreachable) random source of every instance.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// Runtime returns the wazero runtime of a variant (nil for an unknown one).
func (e *Engine) Runtime(v Variant) wazero.Runtime {
	if !v.valid() {
		return nil
	}
	return e.runtimes[v.index()]
}

// Close releases the runtimes and every compiled module. Instances must be
// closed first.
func (e *Engine) Close(ctx context.Context) error {
	e.stopPrewarm(ctx)
	var errs []error
	for i, r := range e.runtimes {
		if r != nil {
			errs = append(errs, r.Close(ctx))
			e.runtimes[i] = nil
		}
	}
	if e.cache != nil {
		errs = append(errs, e.cache.Close(ctx))
	}
	return errors.Join(errs...)
}
