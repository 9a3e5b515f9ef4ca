package gas

import (
	"testing"

	"github.com/filecoin-project/go-state-types/abi"
)

// sheetNext is fvm-gas-next.md §2.2–§2.4, §3.2, §4.1–§4.3 and §5 (and
// fvm-abi-next.md §8) transcribed a second time, apart from lists.go, as
// plain integer milligas with no use of PriceList fields: compute and other
// of each WATERMELON/TEEP charge. TestSheetNextAgrees sweeps both.
type sheetNext struct{ teep bool }

type parts struct{ compute, other int64 }

func maxI(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// §2.4 OnMethodInvocation: 75,000 + 300·L_params.
func (sheetNext) invocation(l int64) parts { return parts{75_000_000 + 300_000*l, 0} }

// §2.4 OnReturnValue (depth > 1): 300·L_return; depth 1: 1300 per byte, other.
func (sheetNext) ret(depth, n, l int64) parts {
	if depth == 1 {
		return parts{0, 1_300_000 * n}
	}
	return parts{300_000 * l, 0}
}

// §4.2/§4.3: other 146,200 + 75·lookback.
func (sheetNext) lookback(lb int64) parts { return parts{0, 146_200_000 + 75_000*lb} }

// §2.4 OnBlockOpenBase: compute 300, other 187,440.
func (sheetNext) openBase() parts { return parts{300_000, 187_440_000} }

// §2.4 OnBlockOpen: compute 300·L; other 2.4n + max(0, 10n − 300L − 2.4n).
func (sheetNext) open(n, l int64) parts {
	return parts{300_000 * l, 2_400*n + maxI(0, 10_000*n-300_000*l-2_400*n)}
}

// §2.4 OnBlockCreate: compute 2.4n + 300·L; other max(0, 10n − 2.4n − 300L).
func (sheetNext) create(n, l int64) parts {
	return parts{2_400*n + 300_000*l, maxI(0, 10_000*n-2_400*n-300_000*l)}
}

// §2.4 OnBlockLink: compute 12.4n + 300; other 506,000 + 3,340n.
func (sheetNext) link(n int64) parts { return parts{12_400*n + 300_000, 506_000_000 + 3_340_000*n} }

// §3.2 OnScanIpldLinks: compute 35·F + 400·C.
func (sheetNext) scan(f, c int64) parts { return parts{35_000*f + 400_000*c, 0} }

// §4.1 OnActorEvent: S = 12 + 9E + K + V; compute 4.8S + 2,500 + 1,400E + 16K;
// other 12.4S (fvm-abi-next.md §8).
func (sheetNext) event(e, k, v int64) parts {
	s := 12 + 9*e + k + v
	return parts{4_800*s + 2_500_000 + 1_400_000*e + 16_000*k, 12_400 * s}
}

// §5.5: 8,299,302·(N + 1) + 7·P.
func (sheetNext) bls(n, p int64) parts { return parts{8_299_302_000*(n+1) + 7_000*p, 0} }

// §2.3/§5.3: 2,000, TEEP 42,000,000.
func (s sheetNext) seal() parts {
	if s.teep {
		return parts{42_000_000_000, 0}
	}
	return parts{2_000_000, 0}
}

// §5.1: 117,680,921 + 43,780 per sector, any type.
func (sheetNext) post(n int64) parts { return parts{117_680_921_000 + 43_780_000*n, 0} }

// §5.2 and fvm-abi-next.md §8: per(type)·N + step(type, N), falling back to
// the 32GiB V1P1 row; NI-PoRep rows only in TEEP. Steps as (start, cost) in
// whole gas.
func (s sheetNext) aggregate(typ abi.RegisteredSealProof, n int64) parts {
	type step struct{ start, cost int64 }
	per, steps := int64(449_900), []step{{4, 103_994_170}, {7, 112_356_810}, {13, 122_912_610},
		{26, 137_559_930}, {52, 162_039_100}, {103, 210_960_780}, {205, 318_351_180}, {410, 528_274_980}}
	switch {
	case typ == abi.RegisteredSealProof_StackedDrg64GiBV1_1:
		per, steps = 359_272, []step{{4, 102_581_240}, {7, 110_803_030}, {13, 120_803_700},
			{26, 134_642_130}, {52, 157_357_890}, {103, 203_017_690}, {205, 304_253_590}, {410, 509_880_640}}
	case s.teep && typ == abi.RegisteredSealProof_StackedDrg32GiBV1_2_Feat_NiPoRep:
		per, steps = 5_668_740, []step{{1, 112_356_810}, {2, 122_912_610}, {3, 137_559_930},
			{5, 162_039_100}, {9, 210_960_780}, {17, 318_351_180}, {33, 528_274_980}}
	case s.teep && typ == abi.RegisteredSealProof_StackedDrg64GiBV1_2_Feat_NiPoRep:
		per, steps = 4_526_928, []step{{1, 110_803_030}, {2, 120_803_700}, {3, 134_642_130},
			{5, 157_357_890}, {9, 203_017_690}, {17, 304_253_590}, {33, 509_880_640}}
	}
	var st int64
	for _, x := range steps {
		if x.start <= n {
			st = x.cost
		}
	}
	return parts{(per*n + st) * 1000, 0}
}

func TestSheetNextAgrees(t *testing.T) {
	for _, p := range []*PriceList{Watermelon(), Teep()} {
		s := sheetNext{teep: p.Name == "teep"}
		var n int
		cmp := func(what, name string, c Charge, want parts) {
			t.Helper()
			if c.Name != name || int64(c.Compute) != want.compute || int64(c.Other) != want.other {
				t.Errorf("%s n=%d %s: got %s %d/%d mg, sheet %s %d/%d mg", p.Name, n, what, c.Name, c.Compute, c.Other, name, want.compute, want.other)
			}
		}
		cmp("open base", "OnBlockOpenBase", p.OnBlockOpenBase(), s.openBase())
		cmp("seal", "OnVerifySeal", p.OnVerifySeal(), s.seal())
		cmp("get root", "OnActorGetRoot", must(p.OnActorGetRoot()), parts{300_000, 0})
		cmp("set root", "OnActorSetRoot", must(p.OnActorSetRoot()), parts{300_000, 0})
		for _, n = range []int{0, 1, 2, 3, 4, 9, 12, 31, 43, 88, 100, 255, 256, 1000, 8192, 65536, 1 << 20} {
			n64 := int64(n)
			cmp("block read", "OnBlockRead", p.OnBlockRead(n), parts{400 * n64, 0})
			cmp("block link", "OnBlockLink", p.OnBlockLink(n), s.link(n64))
			cmp("post", "OnVerifyPost", p.OnVerifyPost(post(n)), s.post(n64))
			cmp("return depth 1", "OnChainReturnValue", must(p.OnMethodReturn(1, n, 7)), s.ret(1, n64, 7))
			cmp("return depth 3", "OnReturnValue", must(p.OnMethodReturn(3, 7, n)), s.ret(3, 7, n64))
			cmp("invocation", "OnMethodInvocation", must(p.OnMethodInvocationLinks(one, 5, n)), s.invocation(n64))
			cmp("lookback randomness", "OnGetRandomness", p.OnGetRandomnessLookback(32, n64), s.lookback(n64))
			if n > 0 {
				cmp("lookback tipset", "OnTipsetCid", mustErr(p.OnTipsetCid(n64)), s.lookback(n64))
			}
			cmp("bls aggregate", "OnVerifyBlsAggregateSignature", mustE(p.OnVerifyBlsAggregateSignature(n, 3*n)), s.bls(n64, 3*n64))
			if n <= 65536 {
				for _, typ := range []abi.RegisteredSealProof{p32, p64, p2k, p32NI, p64NI, p2kNI,
					abi.RegisteredSealProof_StackedDrg32GiBV1_1_Feat_SyntheticPoRep} {
					cmp("aggregate", "OnVerifyAggregateSeals", p.OnVerifyAggregateSeals(agg(typ, n)), s.aggregate(typ, n64))
				}
			}
			for _, l := range []int64{0, 1, 2, 3, 10, 23, 24, 100, 1000} {
				cmp("open", "OnBlockOpen", p.OnBlockOpen(n, int(l)), s.open(n64, l))
				cmp("create", "OnBlockCreate", p.OnBlockCreateLinks(n, int(l)), s.create(n64, l))
				cmp("scan", "OnScanIpldLinks", mustE(p.OnScanIpldLinks(n, int(l))), s.scan(n64, l))
				for _, v := range []int64{0, 1, 32, 8192} {
					cmp("event", "OnActorEvent", mustE(p.OnActorEvent(int(l), n, int(v))), s.event(l, n64, v))
				}
			}
		}
	}
}
