// Command gensuite writes gofvm's embedded default suite (vectors/suite):
// one message-class vector per scenario of package actors/testactors, in the
// fvm-test-vectors schema (v0.0.7). nv17 and nv18 get every scenario; the
// other versions of their lines (nv16 on FVM v2, nv19 and nv20 on v3) get
// those whose gas was computed by hand, the version rules among them, except
// the long loops.
//
// Run it through `go generate ./vectors` (or `go run ./vectors/internal/gensuite
// -out vectors/suite`). For every scenario it applies the message with
// gofvm's kernel (compiler engine, strict reachability), checks the result
// against the scenario's fact-sheet expectations — exit code, return data
// and, where the scenario's gas was computed by hand, gas_used — and
// refuses to write anything if one disagrees. It also reruns each message
// with the interpreter in compat mode and requires the same receipt and
// root. Gas used and post-state roots of scenarios that run wasm without a
// hand-computed figure are regression values recorded from gofvm itself.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"

	"github.com/filecoin-project/go-state-types/abi"
	fbig "github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/filecoin-project/test-vectors/schema"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
	cbornode "github.com/ipfs/go-ipld-cbor"

	"github.com/gofvm/gofvm/actors/testactors"
	"github.com/gofvm/gofvm/kernel"
	fvmcrypto "github.com/gofvm/gofvm/kernel/crypto"
	"github.com/gofvm/gofvm/kernel/engine"
	"github.com/gofvm/gofvm/rules"
	"github.com/gofvm/gofvm/vectors"
	"github.com/gofvm/gofvm/vectors/vectortest"
)

// The machine parameters every suite vector uses (the runner derives the
// same: timestamp = epoch × 30, chain id 314, circulating supply default).
const epoch = 1000

func main() {
	out := flag.String("out", "suite", "the suite directory to write")
	flag.Parse()
	if err := run(context.Background(), *out); err != nil {
		fmt.Fprintln(os.Stderr, "gensuite:", err)
		os.Exit(1)
	}
}

type engines struct{ compiler, interp kernel.Engine }

// versions are the network versions the suite covers: every one gofvm
// runs (package rules). everyScenario get every scenario (nv21 without the
// long loops); the other versions of the v2 and v3 lines get the
// hand-computed ones except the long loops, those of the v4 line the
// hand-computed scenarios of its new rules and a handful of the others
// (v4Sample), keeping `go test ./...` cheap.
var (
	versions      = rules.Supported()
	everyScenario = map[network.Version]bool{network.Version17: true, network.Version18: true, network.Version21: true}
	v4Sample      = map[string]bool{"send-value": true, "noop-method": true, "tiny-method": true, "self-destruct-burn-gas": true}
)

// selected reports whether the suite keeps a scenario at nv.
func selected(nv network.Version, sc testactors.Scenario) bool {
	switch {
	case everyScenario[nv]:
		return !sc.Long || rules.MustFor(nv).Engine != rules.FVMv4
	case sc.HandGas == nil || sc.Long:
		return false
	case rules.MustFor(nv).Engine == rules.FVMv4:
		return sc.NewRule || v4Sample[sc.Name]
	}
	return true
}

func run(ctx context.Context, out string) error {
	comp, err := kernel.NewWasmEngine(ctx)
	if err != nil {
		return err
	}
	interp, err := kernel.NewWasmEngine(ctx, engine.WithInterpreter())
	if err != nil {
		return err
	}
	engs := engines{comp, interp}
	type file struct {
		path string
		data []byte
	}
	var files []file
	for _, nv := range versions {
		g, err := testactors.NewGenesis(ctx, nv)
		if err != nil {
			return err
		}
		for _, sc := range testactors.Scenarios(g) {
			if !selected(nv, sc) {
				continue
			}
			data, err := vector(ctx, g, sc, engs)
			if err != nil {
				return fmt.Errorf("nv%d %s: %w", nv, sc.Name, err)
			}
			files = append(files, file{filepath.Join(fmt.Sprintf("nv%d", nv), sc.Name+".json"), data})
		}
	}
	// Everything checked: now write.
	for _, nv := range versions {
		_ = os.RemoveAll(filepath.Join(out, fmt.Sprintf("nv%d", nv)))
	}
	for _, f := range files {
		p := filepath.Join(out, f.path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("gensuite: wrote %d files under %s\n", len(files), out)
	return nil
}

// encode returns the message's bytes and its chain length exactly as the
// runner computes it from them.
func encode(msg *kernel.Message) ([]byte, int, error) {
	b, err := msg.Bytes()
	if err != nil {
		return nil, 0, err
	}
	vm, err := vectors.DecodeMessage(b)
	if err != nil {
		return nil, 0, err
	}
	return b, vectors.ChainLength(vm, len(b)), nil
}

// applied is one application of a scenario's message.
type applied struct {
	ret   *kernel.ApplyRet
	post  cid.Cid
	store *testactors.MemStore
}

func apply(ctx context.Context, g *testactors.Genesis, msgBytes []byte, L int, eng kernel.Engine, mode kernel.ReachabilityMode) (*applied, error) {
	store := g.Store.Copy()
	ret, post, err := kernel.ApplyOne(ctx, store, g.Root, g.NV, msgBytes, L,
		kernel.WithEpoch(abi.ChainEpoch(epoch)), kernel.WithTimestamp(epoch*30),
		kernel.WithBaseFee(testactors.BaseFee),
		kernel.WithCirculatingSupply(fbig.NewFromGo(vectors.DefaultCircSupply)),
		kernel.WithChainID(vectors.MainnetChainID),
		kernel.WithProofVerifier(fvmcrypto.TrustAllProofsForConformanceVectorsOnly()),
		kernel.WithExterns(testactors.Externs{}),
		kernel.WithEngine(eng), kernel.WithReachability(mode))
	if err != nil {
		return nil, err
	}
	return &applied{ret: ret, post: post, store: store}, nil
}

func vector(ctx context.Context, g *testactors.Genesis, sc testactors.Scenario, engs engines) ([]byte, error) {
	msg := &kernel.Message{From: sc.From, To: sc.To, Nonce: sc.Nonce, Method: sc.Method, Value: sc.Value,
		Params: sc.Params, GasLimit: sc.GasLimit, GasFeeCap: sc.GasFeeCap, GasPremium: sc.GasPremium}
	msgBytes, L, err := encode(msg)
	if err != nil {
		return nil, err
	}
	if sc.GasLimitFor != nil {
		// The limit depends on L, which must not change with it.
		msg.GasLimit = sc.GasLimitFor(L)
		var L2 int
		if msgBytes, L2, err = encode(msg); err != nil {
			return nil, err
		}
		if L2 != L {
			return nil, fmt.Errorf("gas limit %d changes the chain length %d → %d", msg.GasLimit, L, L2)
		}
	}

	a, err := apply(ctx, g, msgBytes, L, engs.compiler, kernel.ReachabilityStrict)
	if err != nil {
		return nil, err
	}
	r := a.ret.Receipt
	if uint32(r.ExitCode) != sc.Exit {
		return nil, fmt.Errorf("exit %d, but %s predicts %d (%s)", r.ExitCode, sc.Source, sc.Exit, a.ret.FailureInfo)
	}
	if sc.CheckReturn && !bytes.Equal(r.Return, sc.Return) {
		return nil, fmt.Errorf("return %x, want %x", r.Return, sc.Return)
	}
	kind := "regression value (recorded from gofvm)"
	if sc.HandGas != nil {
		if want := sc.HandGas(L); r.GasUsed != want {
			return nil, fmt.Errorf("gas_used %d, but the hand computation gives %d", r.GasUsed, want)
		}
		kind = "computed by hand from fvm-gas.md"
	}
	b, err := apply(ctx, g, msgBytes, L, engs.interp, kernel.ReachabilityCompat)
	if err != nil {
		return nil, err
	}
	if rb := b.ret.Receipt; rb.ExitCode != r.ExitCode || rb.GasUsed != r.GasUsed || !bytes.Equal(rb.Return, r.Return) || b.post != a.post {
		return nil, fmt.Errorf("interpreter/compat disagrees: %+v %s vs %+v %s", rb, b.post, r, a.post)
	}

	blks, err := reachable(ctx, a.store, g, g.Root, a.post)
	if err != nil {
		return nil, err
	}
	tv := schema.TestVector{
		Class:    schema.ClassMessage,
		Selector: schema.Selector{"min_protocol_version": "ohsnap"},
		Meta: &schema.Metadata{
			ID:      fmt.Sprintf("gofvm-testactors-nv%d-%s", g.NV, sc.Name),
			Desc:    fmt.Sprintf("expected exit %d: %s", sc.Exit, sc.Source),
			Comment: "gas_used: " + kind + "; needs the test-actors bundle (vectors.SuiteBundles)",
			Gen:     []schema.GenerationData{{Source: "gofvm/vectors/internal/gensuite"}},
		},
		CAR: vectortest.Gzip(testactors.WriteCAR([]cid.Cid{g.Root, a.post}, blks)),
		Pre: &schema.Preconditions{
			Variants:  []schema.Variant{{ID: fmt.Sprintf("nv%d", g.NV), Epoch: epoch, NetworkVersion: uint(g.NV)}},
			StateTree: &schema.StateTree{RootCID: g.Root},
			BaseFee:   new(big.Int).Set(testactors.BaseFee.Int),
		},
		ApplyMessages: []schema.Message{{Bytes: msgBytes}},
		Post: &schema.Postconditions{
			StateTree: &schema.StateTree{RootCID: a.post},
			Receipts:  []*schema.Receipt{{ExitCode: int64(r.ExitCode), ReturnValue: r.Return, GasUsed: r.GasUsed}},
		},
	}
	return json.MarshalIndent(&tv, "", "  ")
}

// reachable collects the blocks the pre- and post-state roots reach through
// DAG-CBOR links, leaving out actor code (raw blocks of the bundle), which
// the runner loads from the bundle CAR (conformance.md §1.6).
func reachable(ctx context.Context, store *testactors.MemStore, g *testactors.Genesis, roots ...cid.Cid) ([]blocks.Block, error) {
	code := map[cid.Cid]bool{}
	for _, c := range g.Bundle.Codes {
		code[c] = true
	}
	seen := map[cid.Cid]blocks.Block{}
	stack := append([]cid.Cid(nil), roots...)
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ok := seen[c]; ok || code[c] {
			continue
		}
		blk, err := store.Get(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", c, err)
		}
		seen[c] = blk
		if c.Prefix().Codec != cid.DagCBOR {
			continue
		}
		nd, err := cbornode.DecodeBlock(blk)
		if err != nil {
			return nil, fmt.Errorf("decoding %s: %w", c, err)
		}
		for _, l := range nd.Links() {
			stack = append(stack, l.Cid)
		}
	}
	out := make([]blocks.Block, 0, len(seen))
	for _, b := range seen {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].Cid().Bytes(), out[j].Cid().Bytes()) < 0 })
	return out, nil
}
