package gas

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
)

// GasOutputs splits the fee of an explicit message (fvm-abi.md §7.4,
// fvm-gas.md §5.6). The math is identical in v2 and v3 and done here in
// arbitrary precision with floor division on non-negative values.
type GasOutputs struct {
	BaseFeeBurn        abi.TokenAmount // → burnt funds (f099)
	OverEstimationBurn abi.TokenAmount // → burnt funds (f099)
	MinerPenalty       abi.TokenAmount // reported only
	MinerTip           abi.TokenAmount // → reward actor (f02)
	Refund             abi.TokenAmount // → sender

	GasRefund int64
	GasBurned int64
}

// ComputeGasOutputs computes the outputs for a receipt's gas used (whole gas)
// against the message's limit, base fee, fee cap and premium. It fails when
// 0 ≤ used ≤ limit does not hold or the four transfers do not add up to
// fee_cap × limit (the reference's sanity check).
func ComputeGasOutputs(used, limit int64, baseFee, feeCap, premium abi.TokenAmount) (GasOutputs, error) {
	if used < 0 || limit < 0 || used > limit {
		return GasOutputs{}, fmt.Errorf("gas outputs: gas used %d outside [0, limit %d]", used, limit)
	}
	usedB, limitB := big.NewInt(used), big.NewInt(limit)

	pay := baseFee
	penalty := big.Zero()
	if big.Cmp(baseFee, feeCap) > 0 {
		pay = feeCap
		penalty = big.Mul(big.Sub(baseFee, feeCap), usedB)
	}
	out := GasOutputs{BaseFeeBurn: big.Mul(pay, usedB)}

	tipRate := premium
	if big.Cmp(big.Add(pay, premium), feeCap) > 0 {
		tipRate = big.Sub(feeCap, pay)
	}
	out.MinerTip = big.Mul(tipRate, limitB) // the LIMIT, not gas used

	out.GasRefund, out.GasBurned = overEstimation(used, limit)
	out.OverEstimationBurn = big.Zero()
	if out.GasBurned != 0 {
		burned := big.NewInt(out.GasBurned)
		out.OverEstimationBurn = big.Mul(pay, burned)
		penalty = big.Add(penalty, big.Mul(big.Sub(baseFee, pay), burned))
	}
	out.MinerPenalty = penalty

	required := big.Mul(feeCap, limitB)
	out.Refund = big.Sub(big.Sub(big.Sub(required, out.BaseFeeBurn), out.MinerTip), out.OverEstimationBurn)

	sum := big.Sum(out.BaseFeeBurn, out.OverEstimationBurn, out.Refund, out.MinerTip)
	if !sum.Equals(required) {
		return out, fmt.Errorf("gas outputs: transfers sum to %s, want fee_cap × limit = %s", sum, required)
	}
	return out, nil
}

// overEstimation returns (gas_refund, gas_burned): with over = limit −
// ⌊11·used/10⌋ clamped to [0, used], burned = ⌊(limit − used)·over / used⌋.
func overEstimation(used, limit int64) (refund, burned int64) {
	if used == 0 {
		return 0, limit
	}
	u, l := big.NewInt(used), big.NewInt(limit)
	over := big.Sub(l, big.Div(big.Mul(big.NewInt(11), u), big.NewInt(10)))
	if over.Sign() < 0 {
		return limit - used, 0
	}
	if big.Cmp(over, u) > 0 {
		over = u
	}
	b := big.Div(big.Mul(big.NewInt(limit-used), over), u).Int64()
	return limit - used - b, b
}
