package exec

import (
	"sort"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/chain/internal/types"
)

// Base fee constants (chain.md §1.15).
const (
	BlockGasLimit         = 10_000_000_000
	BlockGasTarget        = BlockGasLimit / 2
	MinimumBaseFee        = 100
	BaseFeeMaxChangeDenom = 8
	// blockGasTargetIndex is FIP-0115's premium index: 80% of the block gas
	// limit, minus one.
	blockGasTargetIndex = BlockGasLimit*80/100 - 1
)

// NextBaseFee is the ParentBaseFee the children of tipset p must carry
// (Lotus's ComputeBaseFee, chain.md §1.15): the utilization rule before the
// network's PremiumBaseFeeHeight, FIP-0115's premium rule from it. msgs are
// p's messages per block, BLS then secp, before selection.
func (n *Network) NextBaseFee(p *types.TipSet, msgs [][]*types.ChainMessage) abi.TokenAmount {
	base := p.Blocks()[0].ParentBaseFee
	if base.Int == nil {
		base = big.Zero()
	}
	if n.PremiumBaseFeeHeight >= 0 && p.Height() >= n.PremiumBaseFeeHeight {
		return nextFromPremiums(base, msgs)
	}
	// Gas limits of all blocks' messages, each chain CID counted once.
	seen := map[string]bool{}
	var total int64
	for _, bm := range msgs {
		for _, m := range bm {
			if k := m.Cid.KeyString(); !seen[k] {
				seen[k] = true
				total += m.Message.GasLimit
			}
		}
	}
	return nextFromUtilization(base, total, len(msgs))
}

// nextFromUtilization: delta = total/#blocks − target clamped to ±target;
// change = (base·delta div target) div 8; max(100, base + change).
func nextFromUtilization(base abi.TokenAmount, total int64, nblocks int) abi.TokenAmount {
	delta := total/int64(nblocks) - BlockGasTarget
	if delta > BlockGasTarget {
		delta = BlockGasTarget
	}
	if delta < -BlockGasTarget {
		delta = -BlockGasTarget
	}
	change := big.Mul(base, big.NewInt(delta))
	change = big.Div(change, big.NewInt(BlockGasTarget))
	change = big.Div(change, big.NewInt(BaseFeeMaxChangeDenom))
	next := big.Add(base, change)
	if next.LessThan(big.NewInt(MinimumBaseFee)) {
		return big.NewInt(MinimumBaseFee)
	}
	return next
}

// nextFromPremiums is FIP-0115's rule: over each unique (sender as written,
// nonce), the gas-weighted effective premium at index 7,999,999,999 from the
// highest premium (0 if there is less gas); maxAdj = ceil(base/8); next =
// max(100, base + min(maxAdj, p − maxAdj)).
func nextFromPremiums(base abi.TokenAmount, msgs [][]*types.ChainMessage) abi.TokenAmount {
	type entry struct {
		limit   int64
		premium abi.TokenAmount
	}
	seen := map[string]bool{}
	var es []entry
	for _, bm := range msgs {
		for _, m := range bm {
			k := m.Message.From.String() + "/" + big.NewIntUnsigned(m.Message.Nonce).String()
			if seen[k] {
				continue
			}
			seen[k] = true
			es = append(es, entry{limit: m.Message.GasLimit, premium: effectivePremium(m, base)})
		}
	}
	// Highest premium first; equal premiums in any order give the same
	// weighted value.
	sort.SliceStable(es, func(i, j int) bool { return es[i].premium.GreaterThan(es[j].premium) })
	p := big.Zero()
	var cum int64
	for _, e := range es {
		cum += e.limit
		if cum > blockGasTargetIndex {
			p = e.premium
			break
		}
	}
	maxAdj := big.Div(big.Add(base, big.NewInt(BaseFeeMaxChangeDenom-1)), big.NewInt(BaseFeeMaxChangeDenom))
	next := big.Add(base, big.Min(maxAdj, big.Sub(p, maxAdj)))
	if next.LessThan(big.NewInt(MinimumBaseFee)) {
		return big.NewInt(MinimumBaseFee)
	}
	return next
}

// effectivePremium is min(premium, max(fee cap − base fee, 0)).
func effectivePremium(m *types.ChainMessage, base abi.TokenAmount) abi.TokenAmount {
	return big.Min(m.Message.GasPremium, big.Max(big.Sub(m.Message.GasFeeCap, base), big.Zero()))
}
