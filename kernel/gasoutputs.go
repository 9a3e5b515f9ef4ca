package kernel

import (
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/kernel/gas"
)

// GasOutputs is how the fee of an explicit message is split (fvm-abi.md
// §7.4; computed by kernel/gas). Amounts are attoFIL except GasRefund and
// GasBurned (whole gas).
type GasOutputs = gas.GasOutputs

// ZeroGasOutputs is the value reported for implicit messages and preflight
// failures.
func ZeroGasOutputs() GasOutputs {
	z := big.Zero()
	return GasOutputs{BaseFeeBurn: z, OverEstimationBurn: z, MinerPenalty: z, MinerTip: z, Refund: z}
}
