package scenarios

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// Rewards: block rewards and cron across many epochs. A miner wins one
// block every epoch: the reward actor's AwardBlockReward pays it the
// epoch's reward over the five expected leaders, three quarters of which
// its vesting table locks (actors/reward/src/lib.rs award_block_reward;
// actors/miner/src/monies.rs locked_reward_from_reward). Every cron tick
// moves the reward actor's epoch and baseline (actors/reward/src/state.rs
// update_to_next_epoch) while no power is realized.
var Rewards = &scenario.Scenario{
	Name:    "rewards",
	Summary: "block rewards to a miner each epoch and the reward/power actors' cron bookkeeping over many epochs",
	Run:     runRewards,
}

const expectedLeadersPerEpoch = 5

func runRewards(t *scenario.T) {
	alice, carol := t.W.Accounts[Alice], t.W.Accounts[Carol]
	rewardActor := scenario.ID(genesis.RewardID)

	t.Group("setup")
	m := createMiner(t, alice, carol, FIL(100))
	// A pre-commit starts the miner's deadline cron, which the actors'
	// invariants require of a miner holding locked funds (a miner winning
	// blocks has sectors; consensus, not the reward actor, checks power).
	m.preCommit("pre-commit a sector", m.ccPreCommits(1)).OK()
	t.Advance(1)

	t.Group("block-rewards")
	// Tips of earlier messages stay with the reward actor (no block
	// producer took them).
	rewardStart := t.Balance(rewardActor)
	t.C.Producer = m.id()
	paidTotal := big.Zero()
	for i := 0; i < 100; i++ {
		rs := rewardState(t)
		st := m.state()
		bal, rbal, pledge := t.Balance(m.addr), t.Balance(rewardActor), powerState(t).TotalPledgeCollateral
		t.Advance(1)
		paid := big.Div(rs.ThisEpochReward, big.NewInt(expectedLeadersPerEpoch))
		locked := big.Div(big.Mul(paid, big.NewInt(3)), big.NewInt(4))
		rs2, st2 := rewardState(t), m.state()
		t.EqualAmount("reward total", rs2.TotalStoragePowerReward, big.Add(rs.TotalStoragePowerReward, paid))
		t.EqualAmount("miner balance", t.Balance(m.addr), big.Add(bal, paid))
		t.EqualAmount("reward actor balance", t.Balance(rewardActor), big.Sub(rbal, paid))
		t.EqualAmount("miner locked funds", st2.LockedFunds, big.Add(st.LockedFunds, locked))
		t.EqualAmount("network pledge", powerState(t).TotalPledgeCollateral, big.Add(pledge, locked))
		t.Check(rs2.ThisEpochReward.Sign() > 0 && rs2.ThisEpochReward.LessThanEqual(rs.ThisEpochReward),
			"epoch reward %s after %s: not positive and non-increasing without power", rs2.ThisEpochReward, rs.ThisEpochReward)
		paidTotal = big.Add(paidTotal, paid)
		if t.Failed() {
			return
		}
	}
	t.C.Producer = 0
	st := m.state()
	t.Check(len(st.VestingFunds) > 0, "no vesting entries for the rewards")

	t.Group("cron-epochs")
	for i := 0; i < 50; i++ {
		rs := rewardState(t)
		t.Advance(1)
		rs2 := rewardState(t)
		// The reward actor is always one epoch ahead of the last cron.
		t.Equal("reward epoch", rs2.Epoch, t.C.PriorEpoch()+1)
		t.EqualAmount("baseline power", rs2.ThisEpochBaselinePower, t.V.BaselinePowerFromPrev(rs.ThisEpochBaselinePower))
		if t.Failed() {
			return
		}
	}
	t.Advance(2000)
	rs := rewardState(t)
	pw := powerState(t)
	t.Equal("reward epoch after 2000 epochs", rs.Epoch, t.C.PriorEpoch()+1)
	// Without realized power there is no effective network time.
	t.EqualAmount("cumsum realized", rs.CumsumRealized, big.Zero())
	t.Equal("effective network time", rs.EffectiveNetworkTime, abi.ChainEpoch(0))
	t.EqualAmount("power this epoch", pw.ThisEpochRawBytePower, big.Zero())
	t.EqualAmount("total reward paid", rs.TotalStoragePowerReward, paidTotal)
	t.EqualAmount("reward actor balance", t.Balance(rewardActor), big.Sub(rewardStart, paidTotal))
}
