package book

import (
	"context"

	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/book/internal/vectorout"
)

// writeVectors writes res's messages under dir/nvNN/scenario/.
func writeVectors(dir string, w *scenario.World, res *scenario.Result) error {
	code := map[cid.Cid]bool{}
	for _, c := range w.Codes {
		code[c] = true
	}
	vw := &vectorout.Writer{Dir: dir, Store: res.Store, Code: code, Version: "gofvm"}
	_, err := vw.WriteAll(context.Background(), res.Scenario, res.Records)
	return err
}
