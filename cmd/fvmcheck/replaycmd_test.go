package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/chain"
	"github.com/gofvm/gofvm/chain/chaintest"
	"github.com/gofvm/gofvm/kernel"
)

// replayChain is a small test chain: nv17 up to 2, the migration, nv18
// after; a null round at 3; secp and BLS messages in two blocks.
func replayChain(t *testing.T) (*chaintest.Chain, []string) {
	t.Helper()
	ctx := context.Background()
	c, err := chaintest.New(ctx, chaintest.Options{UpgradeHeight: 2})
	if err != nil {
		t.Fatal(err)
	}
	networks["testchain"] = func() *chain.Network { return chaintest.Network(2, 0, c.GenesisTime) }
	networks["testchain-late"] = func() *chain.Network { return chaintest.Network(4, 0, c.GenesisTime) }
	t.Cleanup(func() { delete(networks, "testchain"); delete(networks, "testchain-late") })
	nonce := uint64(0)
	for _, h := range []abi.ChainEpoch{1, 2, 4, 5, 6} {
		m := &kernel.Message{From: chaintest.Alice, To: chaintest.Bob, Nonce: nonce, Value: big.NewInt(1),
			GasLimit: 10_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
		b := &kernel.Message{From: chaintest.Carol, To: chaintest.Bob, Nonce: nonce, Value: big.NewInt(2),
			GasLimit: 10_000_000, GasFeeCap: big.NewInt(1000), GasPremium: big.NewInt(10)}
		nonce++
		if _, err := c.Mine(ctx, h, chaintest.BlockSpec{Miner: 0, WinCount: 1, Secp: []*kernel.Message{m}},
			chaintest.BlockSpec{Miner: 1, WinCount: 1, BLS: []*kernel.Message{b}, Secp: []*kernel.Message{m}}); err != nil {
			t.Fatal(err)
		}
	}
	var msgs []string
	for _, ts := range c.TipSets() {
		if r := c.Result(ts); r != nil {
			for _, a := range r.Messages {
				msgs = append(msgs, a.Cid.String())
			}
		}
	}
	return c, msgs
}

func fvmcheck(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(&env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestReplayCommand(t *testing.T) {
	c, msgs := replayChain(t)
	srv := chaintest.Serve(c)
	defer srv.Close()
	dir := t.TempDir()
	common := []string{"--rpc", srv.URL, "--cache", filepath.Join(dir, "cache"), "--network", "testchain",
		"--engine", "interpreter", "--code-cache", ""}
	flame := filepath.Join(dir, "gas.svg")
	code, out, errs := fvmcheck(append(append([]string{"replay"}, common...), "--trace", "--flame", flame, msgs[len(msgs)-1])...)
	if code != exitOK || !strings.Contains(errs, "MATCH") || !strings.Contains(errs, "proofs are not verified") {
		t.Fatalf("replay message: exit %d\n%s", code, errs)
	}
	var trace map[string]any
	if err := json.Unmarshal([]byte(out), &trace); err != nil || trace["Msg"] == nil {
		t.Errorf("--trace: %v\n%s", err, out)
	}
	if b, err := os.ReadFile(flame); err != nil || !bytes.HasPrefix(b, []byte("<svg")) && !bytes.Contains(b[:100], []byte("<svg")) {
		t.Errorf("--flame: %v", err)
	}
	code, _, errs = fvmcheck(append(append([]string{"replay"}, common...), "--tipset", "4")...)
	if code != exitOK || !strings.Contains(errs, "MATCH") || !strings.Contains(errs, "state root:") {
		t.Fatalf("replay tipset: exit %d\n%s", code, errs)
	}
	// The null round.
	code, _, errs = fvmcheck(append(append([]string{"replay"}, common...), "--tipset", "3")...)
	if code != exitFailed || !strings.Contains(errs, "null round") {
		t.Errorf("null round: exit %d\n%s", code, errs)
	}
	// Usage errors.
	for _, bad := range [][]string{{"replay"}, {"replay", "--tipset", "2", "x"}, {"replay", "not-a-cid"},
		{"replay", "--network", "nope", "--tipset", "1"}, {"validate", "--from", "3", "--to", "1"}} {
		if code, _, _ := fvmcheck(bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", bad, code, exitUsage)
		}
	}
}

func TestValidateCommand(t *testing.T) {
	c, _ := replayChain(t)
	srv := chaintest.Serve(c)
	defer srv.Close()
	cache := filepath.Join(t.TempDir(), "cache")
	args := []string{"validate", "--rpc", srv.URL, "--cache", cache, "--network", "testchain",
		"--engine", "interpreter", "--code-cache", "", "--from", "1", "--to", "5"}
	code, out, errs := fvmcheck(args...)
	if code != exitOK || !strings.HasSuffix(out, "4 passed, 0 failed, 0 skipped\n") || !strings.Contains(out, "1 null rounds") {
		t.Fatalf("validate: exit %d\n%s%s", code, out, errs)
	}
	// Resumed from the cache: nothing to do, no request.
	code, out, _ = fvmcheck(append(args, "--rpc", "")...)
	if code != exitOK || !strings.Contains(out, "0 RPC calls") || !strings.HasSuffix(out, "0 passed, 0 failed, 4 skipped\n") {
		t.Fatalf("resume: exit %d\n%s", code, out)
	}
	// Rechecked from the cache alone.
	code, out, _ = fvmcheck(append(args, "--rpc", "", "--again")...)
	if code != exitOK || !strings.Contains(out, "0 RPC calls") || !strings.HasSuffix(out, "4 passed, 0 failed, 0 skipped\n") {
		t.Fatalf("again: exit %d\n%s", code, out)
	}
	// The wrong upgrade height: the first differing tipset, its receipts
	// and the state diff down to the actor.
	args[6] = "testchain-late"
	code, out, _ = fvmcheck(append(args, "--cache", filepath.Join(t.TempDir(), "c2"))...)
	if code != exitFailed || !strings.Contains(out, "MISMATCH state root") || !strings.Contains(out, "builtin f03") ||
		!strings.HasSuffix(out, "2 passed, 1 failed, 0 skipped\n") {
		t.Fatalf("mismatch: exit %d\n%s", code, out)
	}
}
