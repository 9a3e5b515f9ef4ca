package mainnet

import (
	"bytes"
	"context"
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	market10 "github.com/filecoin-project/go-state-types/builtin/v10/market"
	power10 "github.com/filecoin-project/go-state-types/builtin/v10/power"
	reward10 "github.com/filecoin-project/go-state-types/builtin/v10/reward"
	market11 "github.com/filecoin-project/go-state-types/builtin/v11/market"
	power11 "github.com/filecoin-project/go-state-types/builtin/v11/power"
	reward11 "github.com/filecoin-project/go-state-types/builtin/v11/reward"
	market12 "github.com/filecoin-project/go-state-types/builtin/v12/market"
	power12 "github.com/filecoin-project/go-state-types/builtin/v12/power"
	reward12 "github.com/filecoin-project/go-state-types/builtin/v12/reward"
	market13 "github.com/filecoin-project/go-state-types/builtin/v13/market"
	power13 "github.com/filecoin-project/go-state-types/builtin/v13/power"
	reward13 "github.com/filecoin-project/go-state-types/builtin/v13/reward"
	power14 "github.com/filecoin-project/go-state-types/builtin/v14/power"
	reward14 "github.com/filecoin-project/go-state-types/builtin/v14/reward"
	power15 "github.com/filecoin-project/go-state-types/builtin/v15/power"
	reward15 "github.com/filecoin-project/go-state-types/builtin/v15/reward"
	power16 "github.com/filecoin-project/go-state-types/builtin/v16/power"
	reward16 "github.com/filecoin-project/go-state-types/builtin/v16/reward"
	power17 "github.com/filecoin-project/go-state-types/builtin/v17/power"
	reward17 "github.com/filecoin-project/go-state-types/builtin/v17/reward"
	power18 "github.com/filecoin-project/go-state-types/builtin/v18/power"
	reward18 "github.com/filecoin-project/go-state-types/builtin/v18/reward"
	market8 "github.com/filecoin-project/go-state-types/builtin/v8/market"
	power8 "github.com/filecoin-project/go-state-types/builtin/v8/power"
	reward8 "github.com/filecoin-project/go-state-types/builtin/v8/reward"
	market9 "github.com/filecoin-project/go-state-types/builtin/v9/market"
	power9 "github.com/filecoin-project/go-state-types/builtin/v9/power"
	reward9 "github.com/filecoin-project/go-state-types/builtin/v9/reward"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/actors"
	"github.com/gofvm/gofvm/chain/internal/exec"
	"github.com/gofvm/gofvm/rules"
)

// Singleton ids the formula reads.
const (
	rewardID  abi.ActorID = 2
	powerID   abi.ActorID = 4
	marketID  abi.ActorID = 5
	reserveID abi.ActorID = 90
	burntID   abi.ActorID = 99
)

var filPrecision = big.NewInt(1_000_000_000_000_000_000)

// InitialFilReserved is 300,000,000 FIL (nv ≥ 25 uses UpgradeTeep's value,
// equal on mainnet; chain.md §1.14).
var InitialFilReserved = big.Mul(big.NewInt(300_000_000), filPrecision)

// vestingEntry is one post-Calico schedule entry: the initial balance of
// every genesis multisig with this unlock duration, started at Liftoff.
type vestingEntry struct {
	duration abi.ChainEpoch
	initial  abi.TokenAmount
}

const epochsInDay = 2880

// postCalicoVesting is chain.md §1.14's schedule, whole FIL summed per
// duration (Lotus sums them before vesting, so the truncation happens once
// per duration).
var postCalicoVesting = func() []vestingEntry {
	e := func(days int64, fil ...int64) vestingEntry {
		sum := big.Zero()
		for _, f := range fil {
			sum = big.Add(sum, big.NewInt(f))
		}
		return vestingEntry{duration: abi.ChainEpoch(days * epochsInDay), initial: big.Mul(sum, filPrecision)}
	}
	return []vestingEntry{
		e(0, 10_632_000),
		e(183, 19_015_887, 32_787_700),
		e(365, 22_421_712, 9_400_000),
		e(2*365, 7_223_364),
		e(3*365, 87_637_883, 898_958),
		e(6*365, 100_000_000, 300_000_000, 9_805_053),
	}
}()

// amountLocked is specs-actors v0's multisig rule: everything before the
// start, nothing at or after the duration, else (initial / duration) ·
// (duration − elapsed), dividing first.
func amountLocked(initial abi.TokenAmount, duration, elapsed abi.ChainEpoch) abi.TokenAmount {
	if elapsed >= duration {
		return big.Zero()
	}
	if elapsed < 0 {
		return initial
	}
	perEpoch := big.Div(initial, big.NewInt(int64(duration)))
	return big.Mul(perEpoch, big.NewInt(int64(duration-elapsed)))
}

// FilVested is what the genesis multisigs have vested at height (> Calico).
func FilVested(height abi.ChainEpoch) abi.TokenAmount {
	v := big.Zero()
	for _, e := range postCalicoVesting {
		v = big.Add(v, big.Sub(e.initial, amountLocked(e.initial, e.duration, height-LiftoffHeight)))
	}
	return v
}

// Supply is the VM's circulating supply at epoch on root (chain.md §1.14):
// max(0, vested + mined + reserve disbursed − burnt − locked).
func Supply(ctx context.Context, bs exec.Blockstore, root cid.Cid, epoch abi.ChainEpoch, nv network.Version) (abi.TokenAmount, error) {
	if epoch <= CalicoHeight {
		return abi.TokenAmount{}, fmt.Errorf("circulating supply before Calico (%d) is not implemented", CalicoHeight)
	}
	r, err := rules.For(nv)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	st, err := exec.LoadStateTree(ctx, bs, root, nv)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	get := func(id abi.ActorID) (*actors.Actor, []byte, error) {
		a, err := st.GetActor(id)
		if err != nil {
			return nil, nil, err
		}
		if a == nil {
			return nil, nil, fmt.Errorf("actor f0%d missing", id)
		}
		blk, err := bs.Get(ctx, a.Head)
		if err != nil {
			return nil, nil, fmt.Errorf("state of f0%d: %w", id, err)
		}
		return a, blk.RawData(), nil
	}
	_, rewardState, err := get(rewardID)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	mined, err := totalStoragePowerReward(r.ActorsVersion, rewardState)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	reserve, _, err := get(reserveID)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	burnt, _, err := get(burntID)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	_, powerState, err := get(powerID)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	locked, err := pledgeCollateral(r.ActorsVersion, powerState)
	if err != nil {
		return abi.TokenAmount{}, err
	}
	if nv < network.Version23 {
		_, marketState, err := get(marketID)
		if err != nil {
			return abi.TokenAmount{}, err
		}
		m, err := marketLocked(r.ActorsVersion, marketState)
		if err != nil {
			return abi.TokenAmount{}, err
		}
		locked = big.Add(locked, m)
	}
	disbursed := big.Sub(InitialFilReserved, reserve.Balance)
	s := big.Sum(FilVested(epoch), mined, disbursed)
	s = big.Sub(big.Sub(s, burnt.Balance), locked)
	if s.Sign() < 0 {
		return big.Zero(), nil
	}
	return s, nil
}

func decode(raw []byte, into cbg.CBORUnmarshaler) error {
	return into.UnmarshalCBOR(bytes.NewReader(raw))
}

// totalStoragePowerReward is FilMined: the reward actor's TotalStoragePowerReward.
func totalStoragePowerReward(v int, raw []byte) (abi.TokenAmount, error) {
	switch v {
	case 8:
		var s reward8.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 9:
		var s reward9.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 10:
		var s reward10.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 11:
		var s reward11.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 12:
		var s reward12.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 13:
		var s reward13.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 14:
		var s reward14.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 15:
		var s reward15.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 16:
		var s reward16.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 17:
		var s reward17.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	case 18:
		var s reward18.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalStoragePowerReward, nil
	}
	return abi.TokenAmount{}, fmt.Errorf("reward state of actors v%d", v)
}

// pledgeCollateral is the power actor's TotalPledgeCollateral.
func pledgeCollateral(v int, raw []byte) (abi.TokenAmount, error) {
	switch v {
	case 8:
		var s power8.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 9:
		var s power9.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 10:
		var s power10.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 11:
		var s power11.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 12:
		var s power12.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 13:
		var s power13.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 14:
		var s power14.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 15:
		var s power15.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 16:
		var s power16.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 17:
		var s power17.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	case 18:
		var s power18.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return s.TotalPledgeCollateral, nil
	}
	return abi.TokenAmount{}, fmt.Errorf("power state of actors v%d", v)
}

// marketLocked is the market actor's locked funds (counted before nv23 only, so
// actors v8–v13).
func marketLocked(v int, raw []byte) (abi.TokenAmount, error) {
	switch v {
	case 8:
		var s market8.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return big.Sum(s.TotalClientLockedCollateral, s.TotalProviderLockedCollateral, s.TotalClientStorageFee), nil
	case 9:
		var s market9.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return big.Sum(s.TotalClientLockedCollateral, s.TotalProviderLockedCollateral, s.TotalClientStorageFee), nil
	case 10:
		var s market10.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return big.Sum(s.TotalClientLockedCollateral, s.TotalProviderLockedCollateral, s.TotalClientStorageFee), nil
	case 11:
		var s market11.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return big.Sum(s.TotalClientLockedCollateral, s.TotalProviderLockedCollateral, s.TotalClientStorageFee), nil
	case 12:
		var s market12.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return big.Sum(s.TotalClientLockedCollateral, s.TotalProviderLockedCollateral, s.TotalClientStorageFee), nil
	case 13:
		var s market13.State
		if err := decode(raw, &s); err != nil {
			return abi.TokenAmount{}, err
		}
		return big.Sum(s.TotalClientLockedCollateral, s.TotalProviderLockedCollateral, s.TotalClientStorageFee), nil
	}
	return abi.TokenAmount{}, fmt.Errorf("market state of actors v%d", v)
}
