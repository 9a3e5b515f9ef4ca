package gas

import (
	"errors"
	"fmt"
	"testing"

	"github.com/filecoin-project/go-state-types/abi"

	"github.com/gofvm/gofvm/kernel/errno"
)

// The charge figures of fvm-abi-next.md §14's scenarios 7, 9, 11, 15, 22,
// 24–27 and 30 ("v3" = HYGGE at nv18–20, "v4" = WATERMELON and TEEP; nv24 =
// WATERMELON, nv25 = TEEP). The errors and outcomes around them are the
// kernel's; here are the gas parts.
func TestABINextScenarioCharges(t *testing.T) {
	h, w, te := Hygge(), Watermelon(), Teep()
	v4 := []*PriceList{w, te}
	var rows []sheetRow
	each := func(where string, lists []*PriceList, what string, f func(p *PriceList) Gas, want string) {
		for _, p := range lists {
			rows = append(rows, sheetRow{where, p, what, f(p), want})
		}
	}
	// 7. E 1, K 1, V 32: 2,500 + 1,400 + 16 + 17.2·54.
	each("§14.7", v4, "OnActorEvent(1, 1, 32)", func(p *PriceList) Gas { return sum(ce(p.OnActorEvent(1, 1, 32))) }, "4,844.8")
	// 9. Current epoch 1,000.
	each("§14.9", v4, "randomness epoch 1,000", func(p *PriceList) Gas { return sum(p.OnGetRandomnessLookback(0, 1000-1000)) }, "146,200")
	each("§14.9", v4, "randomness epoch 100", func(p *PriceList) Gas { return sum(p.OnGetRandomnessLookback(0, 1000-100)) }, "213,700")
	// 11. Current 10,000.
	each("§14.11", v4, "tipset epoch 9,100", func(p *PriceList) Gas { return sum(ce(p.OnTipsetCid(10_000 - 9_100))) }, "213,700")
	each("§14.11", []*PriceList{h}, "tipset offset 1", func(p *PriceList) Gas { return sum(ce(p.OnTipsetCid(1))) }, "50,000")
	each("§14.11", v4, "tipset offset 1", func(p *PriceList) Gas { return sum(ce(p.OnTipsetCid(1))) }, "146,275")
	// 15. [tag42(C)], 44 bytes: 2 fields + 1 CID, then OnBlockCreate(44, 1).
	each("§14.15", v4, "OnScanIpldLinks", func(p *PriceList) Gas { return sum(scanCharge(p, 2, 1)) }, "470")
	each("§14.15", v4, "OnBlockCreate(44, 1)", func(p *PriceList) Gas { return sum(p.OnBlockCreateLinks(44, 1)) }, "440")
	// 22. A top-level return of n bytes costs 1,300·n, no link fee.
	for _, n := range []int{1, 40, 1000} {
		each("§14.22", []*PriceList{h, w, te}, fmt.Sprintf("top-level return %d bytes, 9 links", n), func(p *PriceList) Gas {
			return sum(ok(p.OnMethodReturn(1, n, 9))) - NewGas(1_300).Mul(int64(n))
		}, "0")
	}
	// 24. Proof type 8 (V1 32GiB) at v4: the 512MiB V1P1 fallback row.
	for _, n := range []int{0, 5} {
		each("§14.24", v4, fmt.Sprintf("PoSt type 8, %d sectors", n), func(p *PriceList) Gas {
			return sum(p.OnVerifyPost(postTyped(abi.RegisteredPoStProof_StackedDrgWindow32GiBV1, n))) -
				mustSheet(t, "117,680,921") - mustSheet(t, "43,780").Mul(int64(n))
		}, "0")
	}
	// 25. batch_verify_seals, 3 entries.
	three := func(p *PriceList) Gas { c := p.OnVerifySeal(); return sum(c, c, c) }
	each("§14.25", []*PriceList{w}, "3 seals at nv24", three, "6,000")
	each("§14.25", []*PriceList{te}, "3 seals at nv25", three, "126,000,000")
	// 26. 3 proofs of type 18 (32GiB NI).
	each("§14.26", []*PriceList{w}, "NI 32GiB × 3 at nv24", func(p *PriceList) Gas { return sum(p.OnVerifyAggregateSeals(agg(p32NI, 3))) }, "1,349,700")
	each("§14.26", []*PriceList{te}, "NI 32GiB × 3 at nv25", func(p *PriceList) Gas { return sum(p.OnVerifyAggregateSeals(agg(p32NI, 3))) }, "154,566,150")
	// 27. verify_bls_aggregate.
	each("§14.27", v4, "2 signers, 64 bytes", func(p *PriceList) Gas { return sum(ce(p.OnVerifyBlsAggregateSignature(2, 64))) }, "24,898,354")
	each("§14.27", v4, "0 signers", func(p *PriceList) Gas { return sum(ce(p.OnVerifyBlsAggregateSignature(0, 0))) }, "8,299,302")
	// 30. block_open of 1,000 DAG-CBOR bytes with 10 links.
	each("§14.30", []*PriceList{h}, "base + per byte", func(p *PriceList) Gas { return sum(p.OnBlockOpenBase(), p.OnBlockOpen(1000, 10)) }, "197,440")
	each("§14.30", v4, "base", func(p *PriceList) Gas { return sum(p.OnBlockOpenBase()) }, "187,740")
	each("§14.30", v4, "max(10,000, 2,400 + 3,000)", func(p *PriceList) Gas { return sum(p.OnBlockOpen(1000, 10)) }, "10,000")
	each("§14.30", v4, "its link part (compute)", func(p *PriceList) Gas { return p.OnBlockOpen(1000, 10).Compute }, "3,000")
	checkRows(t, rows)

	// 9. Epoch 1,001 at v4 → OutOfGas (TestGasNextExample7 covers the tracker).
	for _, p := range v4 {
		if c := p.OnGetRandomnessLookback(0, 1000-1001); c.Total() != 1<<63-1 {
			t.Errorf("§14.9 %s: lookback −1 charge %d mg, want saturated", p.Name, c.Total())
		}
	}
	// 11. Offset 900 is IllegalArgument at v3; offset 0 in both.
	if _, err := h.OnTipsetCid(900); !isErrno(err, errno.IllegalArgument) {
		t.Errorf("§14.11 v3 offset 900: %v", err)
	}
	for _, p := range []*PriceList{h, w, te} {
		if _, err := p.OnTipsetCid(0); !isErrno(err, errno.IllegalArgument) {
			t.Errorf("§14.11 %s offset 0: %v", p.Name, err)
		}
	}
	// 22. A child sent with a gas limit covering its work but not the
	// 300-gas return fee runs out of gas inside its limit; the parent keeps
	// its gas (exit 7).
	for _, p := range v4 {
		tr := NewTrackerFor(p, NewGas(10_000_000))
		tr.PushLimit(NewGas(100_000))
		if err := tr.Apply(Charge{Name: "work", Compute: NewGas(99_800)}); err != nil {
			t.Fatal(err)
		}
		if err := tr.Apply(ok(p.OnMethodReturn(2, 50, 1))); !errors.Is(err, ErrOutOfGas) {
			t.Errorf("§14.22 %s: return fee over the limit: %v", p.Name, err)
		}
		tr.PopLimit()
		if tr.Available() != NewGas(9_900_000) {
			t.Errorf("§14.22 %s: parent has %d mg left", p.Name, tr.Available())
		}
	}
	// 25. A gas limit covering only 2 entries at nv25: the third charge runs
	// out of gas, before any verification.
	tr := NewTrackerFor(te, NewGas(2*42_000_000+1_000))
	for i, want := range []error{nil, nil, ErrOutOfGas} {
		if err := tr.Apply(te.OnVerifySeal()); !errors.Is(err, want) {
			t.Errorf("§14.25 seal %d: %v, want %v", i+1, err, want)
		}
	}
}

func mustSheet(t *testing.T, s string) Gas {
	t.Helper()
	g, err := sheetGas(s)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
