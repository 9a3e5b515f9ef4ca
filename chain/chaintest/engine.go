package chaintest

import (
	"bytes"
	"context"
	"io"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/kernel"
	"github.com/gofvm/gofvm/kernel/engine"
)

// NewEngine is a wasm engine for tests: wazero's interpreter, which
// compiles the small test actors at once.
func NewEngine(ctx context.Context) (kernel.Engine, error) {
	return kernel.NewWasmEngine(ctx, engine.WithInterpreter(), engine.WithPrewarm(0))
}

func cborCid(w io.Writer, c cid.Cid) error { return cbg.WriteCid(w, c) }

var _ = bytes.NewReader

func zeroAmt() abi.TokenAmount { return big.Zero() }
