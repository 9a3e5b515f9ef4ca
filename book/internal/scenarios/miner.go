package scenarios

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// Miner: a storage miner's life — CreateMiner through the power actor,
// PreCommit and ProveCommit of one committed-capacity sector, Window PoSts
// across two proving periods with the deadline cron, a missed PoSt and its
// fault, recovery, extension and termination (builtin-actors actors/miner;
// integration_tests commit_post_test.rs, extend_sectors_test.rs,
// terminate_test.rs at each tag).
var Miner = &scenario.Scenario{
	Name:    "miner",
	Summary: "CreateMiner, PreCommit/ProveCommit, Window PoSt over two proving periods, missed PoSt fault, recovery, extension, termination",
	Run:     runMiner,
}

func runMiner(t *scenario.T) {
	// The worker must be a BLS key account (actors/miner/src/lib.rs
	// resolve_worker_address).
	alice, carol := t.W.Accounts[Alice], t.W.Accounts[Carol]
	f := factsFor(t.W.ActorsVersion)

	t.Group("create")
	{
		// A proof type the version does not accept is refused by the miner
		// constructor, through init and power (IllegalArgument).
		p, err := t.V.CreateMinerParams(alice.Addr, carol.Addr, f.WrongWindowPoSt, []byte("x"), nil)
		t.Must(err, "params")
		t.Send("CreateMiner with a refused proof type", scenario.Msg{From: alice, To: scenario.ID(genesis.PowerID),
			Method: powerCreateMiner, Params: p, Value: FIL(1000)}).Expect(exitcode.ErrIllegalArgument)
	}
	pwBefore := powerState(t)
	m := createMiner(t, alice, carol, FIL(10_000))
	{
		st := m.state()
		t.Equal("owner", st.Owner, scenario.ID(alice.ID))
		t.Equal("worker", st.Worker, scenario.ID(carol.ID))
		t.Equal("sector size", st.SectorSize, abi.SectorSize(sectorSize32GiB))
		t.Equal("window post proof type", st.WindowPoStProofType, f.WindowPoSt)
		t.Equal("peer id", string(st.PeerID), "book-miner")
		t.Equal("multiaddrs", len(st.Multiaddrs), 1)
		t.EqualAmount("miner balance", t.Balance(m.addr), FIL(10_000))
		t.Check(st.ProvingPeriodStart <= t.Epoch() && st.ProvingPeriodStart > t.Epoch()-wpostProvingPeriod,
			"proving period start %d is not within the last period before %d", st.ProvingPeriodStart, t.Epoch())
		if f.CreateMinerDeposit {
			// The create-miner deposit is locked and vests in 180 steps.
			t.Check(st.LockedFunds.Sign() > 0, "no create-miner deposit locked")
			t.Equal("vesting entries", len(st.VestingFunds), 180)
			t.EqualAmount("vesting total", sumVesting(st.VestingFunds), st.LockedFunds)
		} else {
			t.EqualAmount("locked funds", st.LockedFunds, big.Zero())
			t.Equal("vesting entries", len(st.VestingFunds), 0)
		}
		pw := powerState(t)
		c, ok := pw.Claims[m.id()]
		t.Check(ok, "no power claim")
		t.Equal("claim proof type", c.WindowPoStProofType, f.WindowPoSt)
		t.EqualAmount("claim raw power", c.RawBytePower, big.Zero())
		t.Equal("miner count", pw.MinerCount, pwBefore.MinerCount+1)
	}

	t.Group("precommit")
	const n = abi.SectorNumber(7)
	pcs := m.ccPreCommits(n)
	pcEpoch := t.Epoch()
	m.preCommit("pre-commit sector 7", pcs).OK()
	{
		st := m.state()
		pc, ok := st.PreCommits[n]
		t.Check(ok, "no pre-commit for sector %d", n)
		t.Equal("pre-commit sealed CID", pc.SealedCID, pcs[0].SealedCID)
		t.Equal("pre-commit expiration", pc.Expiration, pcs[0].Expiration)
		t.Equal("pre-commit epoch", pc.Epoch, pcEpoch)
		t.Check(pc.Deposit.Sign() > 0, "no pre-commit deposit")
		t.EqualAmount("pre-commit deposits", st.PreCommitDeposits, pc.Deposit)
		t.Check(st.DeadlineCronActive, "deadline cron not enrolled by the first pre-commit")
		t.EqualAmount("miner balance", t.Balance(m.addr), FIL(10_000))
		// The number is taken: a second pre-commit of it is refused.
		m.preCommit("pre-commit sector 7 again", m.ccPreCommits(n)).Expect(exitcode.ErrIllegalArgument)
		// A seal randomness epoch that is not in the past is refused.
		bad := m.ccPreCommits(8)
		bad[0].SealRandEpoch = t.Epoch()
		m.preCommit("seal randomness from now", bad).Expect(exitcode.ErrIllegalArgument)
	}

	t.Group("prove-commit")
	{
		// Too early: the interactive randomness is not there yet.
		if f.ProveCommitSector {
			p, err := t.V.ProveCommitSectorParams(n, fakeProof(sealProofSize, "seal"))
			t.Must(err, "params")
			t.Send("prove before the challenge delay", scenario.Msg{From: alice, To: m.addr, Method: minerProveCommitSector, Params: p}).
				Expect(exitcode.ErrForbidden)
		}
		t.AdvanceTo(pcEpoch + preCommitChallengeDelay + 1)
		deposit := m.state().PreCommitDeposits
		m.proveCommitOne(n, nil)
		st := m.state()
		s, ok := st.Sectors[n]
		t.Check(ok, "sector %d not active", n)
		t.Equal("sector sealed CID", s.SealedCID, pcs[0].SealedCID)
		t.Equal("sector expiration", s.Expiration, pcs[0].Expiration)
		t.Equal("sector seal proof", s.SealProof, sealProof)
		t.Equal("sector deal weight", s.DealWeight, big.Zero())
		t.Check(s.Activation >= pcEpoch+preCommitChallengeDelay && s.Activation < t.Epoch(), "sector activation %d", s.Activation)
		t.Equal("pre-commits left", len(st.PreCommits), 0)
		t.EqualAmount("pre-commit deposits", st.PreCommitDeposits, big.Zero())
		t.Check(s.InitialPledge.Sign() > 0, "no initial pledge")
		t.EqualAmount("miner initial pledge", st.InitialPledge, s.InitialPledge)
		_ = deposit
		pw := powerState(t)
		t.EqualAmount("network pledge", pw.TotalPledgeCollateral, st.InitialPledge)
		// Power counts only once the sector is proven in a Window PoSt
		// (integration_tests commit_post_test.rs: "power unproven").
		t.EqualAmount("claim raw power before the first PoSt", pw.Claims[m.id()].RawBytePower, big.Zero())
		t.EqualAmount("network bytes committed", pw.TotalBytesCommitted, big.Zero())
		dl, part, ok := st.SectorDeadline(n)
		t.Check(ok, "sector %d in no deadline", n)
		t.Equal("sector unproven", st.Deadlines[dl].Partitions[part].Unproven, []uint64{uint64(n)})
	}

	st := m.state()
	dl, part, _ := st.SectorDeadline(n)
	raw := big.NewInt(sectorSize32GiB)

	t.Group("window-post-1")
	{
		// A PoSt committing to the wrong randomness is refused.
		open := m.nextWindow(dl)
		t.AdvanceTo(open)
		p, err := t.V.SubmitWindowedPoStParams(av.WindowPoSt{Deadline: uint64(dl), Partitions: []uint64{uint64(part)},
			ProofType: f.WindowPoSt, Proof: fakeProof(postProofSize, "post"), ChainCommitEpoch: open - wpostChallengeLookback,
			ChainCommitRand: make([]byte, 32)})
		t.Must(err, "params")
		t.Send("PoSt with the wrong chain randomness", scenario.Msg{From: alice, To: m.addr, Method: minerSubmitWindowedPoSt, Params: p}).
			Expect(exitcode.ErrIllegalArgument)
		m.submitPoSt(dl, []uint64{uint64(part)}).OK()
		st := m.state()
		t.Equal("unproven after the PoSt", len(st.Deadlines[dl].Partitions[part].Unproven), 0)
		t.Equal("partitions proven", st.Deadlines[dl].PostSubmissions, []uint64{uint64(part)})
		c := m.claim()
		t.EqualAmount("claim raw power", c.RawBytePower, raw)
		t.EqualAmount("claim QA power (committed capacity: raw)", c.QualityAdjPower, raw)
		pw := powerState(t)
		t.EqualAmount("network bytes committed", pw.TotalBytesCommitted, raw)
		// 32 GiB is below the consensus minimum (10 TiB): no network power.
		t.EqualAmount("network raw power", pw.TotalRawBytePower, big.Zero())
		t.Equal("miners above the minimum", pw.MinerAboveMinPowerCount, int64(0))
	}

	t.Group("window-post-2")
	{
		pps := m.state().ProvingPeriodStart
		t.AdvanceTo(m.deadlineOpen(dl, m.nextWindow(dl)+wpostChallengeWindow))
		m.submitPoSt(dl, []uint64{uint64(part)}).OK()
		st := m.state()
		t.Equal("proving period start after a period", st.ProvingPeriodStart, pps+wpostProvingPeriod)
		t.Equal("faults", len(st.Deadlines[dl].Partitions[part].Faults), 0)
		t.EqualAmount("claim raw power", m.claim().RawBytePower, raw)
		// And through the deadline's cron at its close: still no fault.
		t.AdvanceTo(m.nextWindow(dl) + wpostChallengeWindow)
		t.Equal("faults after the deadline closed", len(m.state().Deadlines[dl].Partitions[part].Faults), 0)
	}

	t.Group("missed-post")
	{
		// No PoSt in the sector's deadline: its cron at the deadline's last
		// epoch declares the sector faulty and removes its power. A newly
		// detected fault pays no penalty; only faults that persist through
		// a later deadline do (actors/miner/src/lib.rs handle_proving_
		// deadline, "Faults detected by this missed PoSt pay no penalty").
		open := m.nextWindow(dl)
		t.AdvanceTo(open)
		burntBefore := burnt(t)
		t.AdvanceTo(open + wpostChallengeWindow)
		st := m.state()
		p := st.Deadlines[dl].Partitions[part]
		t.Equal("faults", p.Faults, []uint64{uint64(n)})
		t.EqualAmount("partition faulty power", p.FaultyRaw, raw)
		t.EqualAmount("claim raw power after the fault", m.claim().RawBytePower, big.Zero())
		t.EqualAmount("network bytes committed", powerState(t).TotalBytesCommitted, big.Zero())
		if !f.DailyFee {
			t.EqualAmount("burnt funds (no penalty for a new fault)", burnt(t), burntBefore)
		}
	}

	t.Group("recover")
	{
		p, err := t.V.DeclareFaultsRecoveredParams(uint64(dl), uint64(part), []uint64{uint64(n)})
		t.Must(err, "params")
		t.Send("DeclareFaultsRecovered", scenario.Msg{From: alice, To: m.addr, Method: minerDeclareFaultsRecovered, Params: p}).OK()
		t.Equal("recoveries", m.state().Deadlines[dl].Partitions[part].Recoveries, []uint64{uint64(n)})
		m.submitPoSt(dl, []uint64{uint64(part)}).OK()
		st := m.state()
		pt := st.Deadlines[dl].Partitions[part]
		t.Equal("faults after recovery", len(pt.Faults), 0)
		t.Equal("recoveries after recovery", len(pt.Recoveries), 0)
		t.EqualAmount("claim raw power after recovery", m.claim().RawBytePower, raw)
	}

	t.Group("extend")
	{
		s := m.state().Sectors[n]
		newExp := s.Expiration + 30*epochsInDay
		method := minerExtendSectorExpiration
		p, err := t.V.ExtendSectorExpirationParams(uint64(dl), uint64(part), []uint64{uint64(n)}, newExp)
		if !f.ExtendSectorExpiration {
			method = minerExtendSectorExpiration2
			p, err = t.V.ExtendSectorExpiration2Params(uint64(dl), uint64(part), []uint64{uint64(n)}, newExp)
		}
		t.Must(err, "params")
		t.Send("extend the sector by 30 days", scenario.Msg{From: alice, To: m.addr, Method: method, Params: p}).OK()
		t.Equal("sector expiration", m.state().Sectors[n].Expiration, newExp)
		t.EqualAmount("claim raw power", m.claim().RawBytePower, raw)
	}

	t.Group("terminate")
	{
		// Sectors of the current and the next deadline cannot be
		// terminated (actors/miner/src/lib.rs terminate_sectors,
		// deadline_is_mutable): move three deadlines on.
		t.Advance(3 * wpostChallengeWindow)
		burntBefore := burnt(t)
		p, err := t.V.TerminateSectorsParams(uint64(dl), uint64(part), []uint64{uint64(n)})
		t.Must(err, "params")
		r := t.Send("TerminateSectors", scenario.Msg{From: alice, To: m.addr, Method: minerTerminateSectors, Params: p}).OK()
		done, err := t.V.TerminateSectorsReturn(r.Return())
		t.Must(err, "terminate return")
		t.Check(done, "termination not done at once")
		st := m.state()
		pt := st.Deadlines[dl].Partitions[part]
		t.Equal("terminated", pt.Terminated, []uint64{uint64(n)})
		t.EqualAmount("claim raw power", m.claim().RawBytePower, big.Zero())
		t.EqualAmount("initial pledge", st.InitialPledge, big.Zero())
		t.EqualAmount("network pledge", powerState(t).TotalPledgeCollateral, big.Zero())
		// The termination fee is burnt (with the message's base fee).
		t.Check(big.Sub(burnt(t), burntBefore).GreaterThan(r.BaseFeeBurn), "no termination fee burnt")
	}
}

func sumVesting(vs []av.VestingFund) abi.TokenAmount {
	s := big.Zero()
	for _, v := range vs {
		s = big.Add(s, v.Amount)
	}
	return s
}

var _ = address.Undef
