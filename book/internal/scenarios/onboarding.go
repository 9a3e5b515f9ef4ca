package scenarios

import (
	"fmt"

	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/scenario"
)

// Onboarding: a batch of eight sectors pre-committed in one message, four
// proven with one aggregate proof (ProveCommitAggregate up to v16,
// ProveCommitSectors3's aggregate from v13) and four with one proof each
// (ProveCommitSectors3 with four proofs from v13; up to v12 four
// ProveCommitSector messages that the power actor's cron verifies as one
// batch), then their power through Window PoSts (builtin-actors
// actors/miner; integration_tests batch_onboarding.rs).
var Onboarding = &scenario.Scenario{
	Name:    "onboarding",
	Summary: "batch pre-commit, aggregate and batch prove-commit, Window PoSt for the batch",
	Run:     runOnboarding,
}

func runOnboarding(t *scenario.T) {
	alice, carol := t.W.Accounts[Alice], t.W.Accounts[Carol]
	f := factsFor(t.W.ActorsVersion)

	t.Group("setup")
	m := createMiner(t, alice, carol, FIL(50_000))

	t.Group("precommit-batch")
	var ns []abi.SectorNumber
	for i := 0; i < 8; i++ {
		ns = append(ns, abi.SectorNumber(100+i))
	}
	pcEpoch := t.Epoch()
	m.preCommit("pre-commit eight sectors in one message", m.ccPreCommits(ns...)).OK()
	{
		st := m.state()
		t.Equal("pre-commits", len(st.PreCommits), 8)
		sum := big.Zero()
		for _, pc := range st.PreCommits {
			sum = big.Add(sum, pc.Deposit)
			t.Equal("pre-commit epoch", pc.Epoch, pcEpoch)
		}
		t.EqualAmount("pre-commit deposits", st.PreCommitDeposits, sum)
	}
	t.AdvanceTo(pcEpoch + preCommitChallengeDelay + 1)

	t.Group("prove-aggregate")
	agg := ns[:minAggregatedSectors]
	{
		var nums []uint64
		for _, n := range agg {
			nums = append(nums, uint64(n))
		}
		proof := fakeProof(1024, "aggregate")
		if f.ProveCommitAggregate {
			p, err := t.V.ProveCommitAggregateParams(nums, proof)
			t.Must(err, "params")
			t.Send("ProveCommitAggregate of four sectors", scenario.Msg{From: carol, To: m.addr, Method: minerProveCommitAggregate, Params: p}).OK()
		} else {
			var acts []av.SectorActivation
			for _, n := range agg {
				acts = append(acts, av.SectorActivation{SectorNumber: n})
			}
			p, err := t.V.ProveCommitSectors3Params(av.ProveCommit3{Activations: acts, AggregateProof: proof,
				AggregateProofType: aggregateProof, RequireActivationSuccess: true, RequireNotificationSuccess: true})
			t.Must(err, "params")
			t.Send("ProveCommitSectors3 with an aggregate proof of four sectors", scenario.Msg{From: carol, To: m.addr, Method: minerProveCommitSectors3, Params: p}).OK()
		}
		// An aggregate activates at once, in the message.
		st := m.state()
		for _, n := range agg {
			_, ok := st.Sectors[n]
			t.Check(ok, "sector %d not active after the aggregate", n)
		}
		t.Equal("pre-commits left", len(st.PreCommits), 4)
	}

	t.Group("prove-batch")
	rest := ns[minAggregatedSectors:]
	if f.ProveCommitSectors3 {
		var acts []av.SectorActivation
		var proofs [][]byte
		for _, n := range rest {
			acts = append(acts, av.SectorActivation{SectorNumber: n})
			proofs = append(proofs, fakeProof(sealProofSize, fmt.Sprint("seal", n)))
		}
		p, err := t.V.ProveCommitSectors3Params(av.ProveCommit3{Activations: acts, SectorProofs: proofs,
			RequireActivationSuccess: true, RequireNotificationSuccess: true})
		t.Must(err, "params")
		t.Send("ProveCommitSectors3 with four proofs", scenario.Msg{From: carol, To: m.addr, Method: minerProveCommitSectors3, Params: p}).OK()
	} else {
		for _, n := range rest {
			p, err := t.V.ProveCommitSectorParams(n, fakeProof(sealProofSize, fmt.Sprint("seal", n)))
			t.Must(err, "params")
			t.Send(fmt.Sprintf("ProveCommitSector %d", n), scenario.Msg{From: carol, To: m.addr, Method: minerProveCommitSector, Params: p}).OK()
		}
		// The power actor verifies the epoch's proofs as one batch in its
		// cron and confirms them.
		t.Equal("active before the cron batch", len(m.state().Sectors), 4)
	}
	t.Advance(1)
	st := m.state()
	t.Equal("active sectors", len(st.Sectors), 8)
	t.Equal("pre-commits left", len(st.PreCommits), 0)
	t.EqualAmount("pre-commit deposits", st.PreCommitDeposits, big.Zero())
	pledge := big.Zero()
	for _, s := range st.Sectors {
		pledge = big.Add(pledge, s.InitialPledge)
	}
	t.EqualAmount("miner initial pledge", st.InitialPledge, pledge)
	t.EqualAmount("network pledge", powerState(t).TotalPledgeCollateral, pledge)

	t.Group("window-post")
	byDeadline := map[int]map[uint64]bool{}
	for _, n := range ns {
		dl, part, ok := st.SectorDeadline(n)
		t.Check(ok, "sector %d in no deadline", n)
		if byDeadline[dl] == nil {
			byDeadline[dl] = map[uint64]bool{}
		}
		byDeadline[dl][uint64(part)] = true
	}
	// Prove the deadlines in the order they come.
	for len(byDeadline) > 0 {
		first, at := -1, abi.ChainEpoch(0)
		for dl := range byDeadline {
			if open := m.nextWindow(dl); first < 0 || open < at {
				first, at = dl, open
			}
		}
		var parts []uint64
		for p := range byDeadline[first] {
			parts = append(parts, p)
		}
		m.submitPoSt(first, parts).OK()
		delete(byDeadline, first)
	}
	raw := big.NewInt(8 * sectorSize32GiB)
	t.EqualAmount("claim raw power", m.claim().RawBytePower, raw)
	t.EqualAmount("claim QA power", m.claim().QualityAdjPower, raw)
	t.EqualAmount("network bytes committed", powerState(t).TotalBytesCommitted, raw)
}
