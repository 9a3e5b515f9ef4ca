package kernel

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
)

// GasOutputs is how the fee of an explicit message is split (fvm-abi.md
// §7.4, fvm-gas.md §5.6). All amounts are attoFIL except GasRefund and
// GasBurned (whole gas).
type GasOutputs struct {
	BaseFeeBurn        abi.TokenAmount
	OverEstimationBurn abi.TokenAmount
	MinerPenalty       abi.TokenAmount
	MinerTip           abi.TokenAmount
	Refund             abi.TokenAmount
	GasRefund          int64
	GasBurned          int64
}

// ZeroGasOutputs is the value reported for implicit messages and preflight failures.
func ZeroGasOutputs() GasOutputs {
	z := big.Zero()
	return GasOutputs{BaseFeeBurn: z, OverEstimationBurn: z, MinerPenalty: z, MinerTip: z, Refund: z}
}

// ComputeGasOutputs applies the exact integer math of fvm-abi.md §7.4.
func ComputeGasOutputs(used, limit int64, baseFee, feeCap, premium abi.TokenAmount) GasOutputs {
	out := ZeroGasOutputs()
	usedB, limitB := big.NewInt(used), big.NewInt(limit)
	pay := baseFee
	if baseFee.GreaterThan(feeCap) {
		pay = feeCap
		out.MinerPenalty = big.Mul(big.Sub(baseFee, feeCap), usedB)
	}
	out.BaseFeeBurn = big.Mul(pay, usedB)
	tip := premium
	if big.Add(pay, premium).GreaterThan(feeCap) {
		tip = big.Sub(feeCap, pay)
	}
	out.MinerTip = big.Mul(tip, limitB)

	out.GasRefund, out.GasBurned = overEstimation(used, limit)
	if out.GasBurned != 0 {
		burned := big.NewInt(out.GasBurned)
		out.OverEstimationBurn = big.Mul(pay, burned)
		out.MinerPenalty = big.Add(out.MinerPenalty, big.Mul(big.Sub(baseFee, pay), burned))
	}
	out.Refund = big.Sub(big.Sub(big.Sub(big.Mul(feeCap, limitB), out.BaseFeeBurn), out.MinerTip),
		out.OverEstimationBurn)
	return out
}

// overEstimation returns (gas_refund, gas_burned) in whole gas, computed with
// big integers so that 11·used cannot overflow.
func overEstimation(used, limit int64) (refund, burned int64) {
	if used == 0 {
		return 0, limit
	}
	u, l := big.NewInt(used), big.NewInt(limit)
	over := big.Sub(l, big.Div(big.Mul(big.NewInt(11), u), big.NewInt(10)))
	if over.LessThan(big.Zero()) {
		return limit - used, 0
	}
	if over.GreaterThan(u) {
		over = u
	}
	b := big.Div(big.Mul(big.Sub(l, u), over), u)
	return limit - used - b.Int64(), b.Int64()
}
