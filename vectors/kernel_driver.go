package vectors

import (
	"context"
	"errors"
	"sync"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/kernel/engine"
)

func init() { DefaultDriver = NewKernelDriver }

// NewKernelDriver returns the Driver that applies vectors with gofvm's
// kernel. One wasm engine per engine kind is shared by every vector (modules
// compile once per process; the compiler keeps its cache in o.CacheDir).
//
// Like ref-fvm's conformance runner (conformance.md §1.5), it trusts every
// proof — the TrustingVerifier is named for exactly this use — and answers
// consensus-fault checks with "no fault"; vectors carry no tipset CIDs.
func NewKernelDriver(o DriverOptions) (Driver, error) {
	d := &kernelDriver{cacheDir: o.CacheDir}
	return d, nil
}

type kernelDriver struct {
	cacheDir string

	compilerOnce, interpOnce sync.Once
	compiler, interp         kernel.Engine
	compilerErr, interpErr   error
}

// engine returns the shared engine of the requested kind, built on first use.
// Prewarming is off: -j workers already keep both cores busy.
func (d *kernelDriver) engine(e Engine) (kernel.Engine, error) {
	ctx := context.Background()
	if e == EngineInterpreter {
		d.interpOnce.Do(func() {
			d.interp, d.interpErr = kernel.NewWasmEngine(ctx, engine.WithInterpreter(), engine.WithPrewarm(0))
		})
		return d.interp, d.interpErr
	}
	d.compilerOnce.Do(func() {
		opts := []engine.Option{engine.WithPrewarm(0)}
		if d.cacheDir != "" {
			opts = append(opts, engine.WithCompilationCacheDir(d.cacheDir))
		}
		d.compiler, d.compilerErr = kernel.NewWasmEngine(ctx, opts...)
	})
	return d.compiler, d.compilerErr
}

func (d *kernelDriver) Apply(ctx context.Context, run *Run) (*Result, error) {
	eng, err := d.engine(run.Engine)
	if err != nil {
		return nil, err
	}
	mode := kernel.ReachabilityStrict
	if run.Reachability == ReachabilityCompat {
		mode = kernel.ReachabilityCompat
	}
	opts := []kernel.Option{
		kernel.WithEpoch(abi.ChainEpoch(run.Epoch)),
		kernel.WithTimestamp(run.Timestamp),
		kernel.WithBaseFee(big.NewFromGo(run.BaseFee)),
		kernel.WithCirculatingSupply(big.NewFromGo(run.CircSupply)),
		kernel.WithChainID(run.ChainID),
		kernel.WithExterns(vectorExterns{run.Randomness}),
		kernel.WithProofVerifier(fvmcrypto.TrustAllProofsForConformanceVectorsOnly()),
		kernel.WithEngine(eng),
		kernel.WithReachability(mode),
	}
	if run.Hooks != nil {
		opts = append(opts, kernel.WithHooks(run.Hooks))
	}
	ret, post, err := kernel.ApplyOne(ctx, run.Blockstore, run.PreRoot, network.Version(run.NetworkVersion),
		run.MessageBytes, run.ChainLength, opts...)
	if err != nil {
		return nil, err
	}
	res := &Result{ExitCode: int64(ret.Receipt.ExitCode), Return: ret.Receipt.Return,
		GasUsed: ret.Receipt.GasUsed, PostRoot: post}
	if ret.FailureInfo != "" {
		res.Err = errors.New(ret.FailureInfo)
	}
	return res, nil
}

// vectorExterns serves randomness from the vector's records.
type vectorExterns struct{ r *Randomness }

func (e vectorExterns) ChainDigest(ep abi.ChainEpoch) ([32]byte, error)  { return e.r.ChainDigest(ep) }
func (e vectorExterns) BeaconDigest(ep abi.ChainEpoch) ([32]byte, error) { return e.r.BeaconDigest(ep) }

func (vectorExterns) TipsetCid(abi.ChainEpoch) (cid.Cid, error) {
	return cid.Undef, errors.New("test vectors carry no tipset CIDs")
}

func (vectorExterns) VerifyConsensusFault(_, _, _ []byte) (*fvmcrypto.Fault, error) { return nil, nil }
