package scenarios

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/filecoin-project/go-address"
	commcid "github.com/filecoin-project/go-fil-commcid"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/chain"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// Method numbers (builtin-actors actors/power and actors/miner Method).
const (
	powerCreateMiner abi.MethodNum = 2

	minerChangeWorkerAddress     abi.MethodNum = 3
	minerChangePeerID            abi.MethodNum = 4
	minerSubmitWindowedPoSt      abi.MethodNum = 5
	minerPreCommitSector         abi.MethodNum = 6
	minerProveCommitSector       abi.MethodNum = 7
	minerExtendSectorExpiration  abi.MethodNum = 8
	minerTerminateSectors        abi.MethodNum = 9
	minerDeclareFaults           abi.MethodNum = 10
	minerDeclareFaultsRecovered  abi.MethodNum = 11
	minerWithdrawBalance         abi.MethodNum = 16
	minerConfirmUpdateWorkerKey  abi.MethodNum = 21
	minerPreCommitSectorBatch    abi.MethodNum = 25
	minerProveCommitAggregate    abi.MethodNum = 26
	minerPreCommitSectorBatch2   abi.MethodNum = 28
	minerExtendSectorExpiration2 abi.MethodNum = 32
	minerProveCommitSectors3     abi.MethodNum = 34
	sealProof                                  = abi.RegisteredSealProof_StackedDrg32GiBV1_1
	aggregateProof                             = abi.RegisteredAggregationProof_SnarkPackV2
)

// miner is a storage miner the book created, with its owner and worker.
type miner struct {
	t      *scenario.T
	f      facts
	owner  *scenario.Account
	worker *scenario.Account
	addr   address.Address // f0
	robust address.Address // f2
}

// createMiner creates a miner through the power actor's CreateMiner (which
// Execs it through the init actor) with value as its balance.
func createMiner(t *scenario.T, owner, worker *scenario.Account, value abi.TokenAmount) *miner {
	f := factsFor(t.W.ActorsVersion)
	p, err := t.V.CreateMinerParams(owner.Addr, worker.Addr, f.WindowPoSt, []byte("book-miner"), [][]byte{[]byte("/ip4/127.0.0.1/tcp/1")})
	t.Must(err, "create miner params")
	next := initState(t).NextID
	r := t.Send("power CreateMiner", scenario.Msg{From: owner, To: scenario.ID(genesis.PowerID), Method: powerCreateMiner, Params: p, Value: value}).OK()
	id, robust, err := t.V.CreateMinerReturn(r.Return())
	t.Must(err, "create miner return")
	t.Equal("miner id", id, scenario.ID(next))
	t.Equal("robust address resolves to", scenario.ID(t.IDOf(robust)), id)
	t.CodeIs(id, "storageminer")
	return &miner{t: t, f: f, owner: owner, worker: worker, addr: id, robust: robust}
}

func (m *miner) id() abi.ActorID { return m.t.IDOf(m.addr) }

func (m *miner) state() *av.MinerState {
	st, err := m.t.V.MinerState(m.t.Ctx, m.t.C.CborStore(), m.t.Head(m.addr))
	m.t.Must(err, "miner state")
	return st
}

func powerState(t *scenario.T) *av.PowerState {
	st, err := t.V.PowerState(t.Ctx, t.C.CborStore(), t.Head(scenario.ID(genesis.PowerID)))
	t.Must(err, "power state")
	return st
}

func rewardState(t *scenario.T) *av.RewardState {
	st, err := t.V.RewardState(t.Ctx, t.C.CborStore(), t.Head(scenario.ID(genesis.RewardID)))
	t.Must(err, "reward state")
	return st
}

func (m *miner) claim() av.Claim {
	c, ok := powerState(m.t).Claims[m.id()]
	if !ok {
		m.t.Fatalf("no power claim for %s", m.addr)
	}
	return c
}

// sealedCID is a made-up CommR for sector n (proofs are not verified; the
// CID must only carry the sealed-commitment prefix).
func sealedCID(t *scenario.T, salt string, n abi.SectorNumber) cid.Cid {
	h := sha256.Sum256([]byte(fmt.Sprintf("book commR %s %d", salt, n)))
	h[31] &= 0x3f // a field element, as a real commitment is
	c, err := commcid.ReplicaCommitmentV1ToCID(h[:])
	t.Must(err, "sealed CID")
	return c
}

// fakeProof is n deterministic bytes.
func fakeProof(n int, salt string) []byte {
	out := make([]byte, 0, n+32)
	for i := 0; len(out) < n; i++ {
		h := sha256.Sum256(binary.BigEndian.AppendUint32([]byte(salt), uint32(i)))
		out = append(out, h[:]...)
	}
	return out[:n]
}

// sectorExpiration is an expiration the miner accepts for a sector
// pre-committed now: more than the minimum lifetime (180 days) after the
// latest activation (now + the maximum prove-commit duration, 30 days +
// the challenge delay) and within 540 days (runtime/src/runtime/policy.rs;
// actors/miner/src/lib.rs validate_expiration).
func sectorExpiration(now abi.ChainEpoch) abi.ChainEpoch { return now + 240*epochsInDay }

// preCommit pre-commits sectors at the current epoch, with the single
// method for one sector where the version has it, else PreCommitSectorBatch2
// (or PreCommitSectorBatch at v8 for several).
func (m *miner) preCommit(name string, infos []av.PreCommitInfo) *scenario.Ret {
	t, v := m.t, m.t.V
	var (
		params []byte
		method abi.MethodNum
		err    error
	)
	switch {
	case len(infos) == 1 && m.f.PreCommitSector:
		params, err = v.PreCommitSectorParams(infos[0])
		method = minerPreCommitSector
	case m.f.PreCommitSectorBatch2:
		params, err = v.PreCommitSectorBatch2Params(infos)
		method = minerPreCommitSectorBatch2
	default:
		params, err = v.PreCommitSectorBatchParams(infos)
		method = minerPreCommitSectorBatch
	}
	t.Must(err, "pre-commit params")
	return t.Send(name, scenario.Msg{From: m.worker, To: m.addr, Method: method, Params: params})
}

// ccPreCommits are committed-capacity pre-commits for sectors ns.
func (m *miner) ccPreCommits(ns ...abi.SectorNumber) []av.PreCommitInfo {
	var out []av.PreCommitInfo
	for _, n := range ns {
		out = append(out, av.PreCommitInfo{SealProof: sealProof, SectorNumber: n, SealedCID: sealedCID(m.t, m.addr.String(), n),
			SealRandEpoch: m.t.Epoch() - 1, Expiration: sectorExpiration(m.t.Epoch())})
	}
	return out
}

// proveCommitOne proves one sector: ProveCommitSector where the version has
// it (activated by the power actor's cron batch at the end of the epoch),
// else ProveCommitSectors3 (activated at once). It ends the epoch either way,
// so the sector is active afterwards.
func (m *miner) proveCommitOne(n abi.SectorNumber, pieces []av.PieceActivation) {
	t, v := m.t, m.t.V
	if m.f.ProveCommitSector && len(pieces) == 0 {
		p, err := v.ProveCommitSectorParams(n, fakeProof(sealProofSize, "seal"))
		t.Must(err, "prove-commit params")
		t.Send(fmt.Sprintf("ProveCommitSector %d", n), scenario.Msg{From: m.worker, To: m.addr, Method: minerProveCommitSector, Params: p}).OK()
		_, active := m.state().Sectors[n]
		t.Check(!active, "sector %d active before power's cron confirms its proof", n)
		t.Advance(1)
		return
	}
	p, err := v.ProveCommitSectors3Params(av.ProveCommit3{
		Activations:  []av.SectorActivation{{SectorNumber: n, Pieces: pieces}},
		SectorProofs: [][]byte{fakeProof(sealProofSize, "seal")}, RequireActivationSuccess: true, RequireNotificationSuccess: true})
	t.Must(err, "prove-commit params")
	t.Send(fmt.Sprintf("ProveCommitSectors3 %d", n), scenario.Msg{From: m.worker, To: m.addr, Method: minerProveCommitSectors3, Params: p}).OK()
	_, active := m.state().Sectors[n]
	t.Check(active, "sector %d not active after ProveCommitSectors3", n)
	t.Advance(1)
}

// deadlineOpen is the epoch at which deadline dl opens in the first window
// that has not closed by epoch after (so it may be open already), from the
// miner's recorded proving period start (actors/miner/src/deadline_info.rs:
// deadline dl opens at period start + dl × challenge window).
func (m *miner) deadlineOpen(dl int, after abi.ChainEpoch) abi.ChainEpoch {
	st := m.state()
	open := st.ProvingPeriodStart + abi.ChainEpoch(dl)*wpostChallengeWindow
	for open+wpostChallengeWindow <= after {
		open += wpostProvingPeriod
	}
	for open > after+wpostProvingPeriod {
		open -= wpostProvingPeriod
	}
	return open
}

// nextWindow is deadline dl's next window that has not closed yet.
func (m *miner) nextWindow(dl int) abi.ChainEpoch { return m.deadlineOpen(dl, m.t.Epoch()) }

// submitPoSt advances to deadline dl's window (the current one if it is
// open) and proves its partitions,
// committing to the chain at the deadline's challenge epoch with the
// randomness the actor draws there (PoStChainCommit from tickets).
func (m *miner) submitPoSt(dl int, partitions []uint64) *scenario.Ret {
	t := m.t
	open := m.nextWindow(dl)
	if open > t.Epoch() {
		t.AdvanceTo(open)
	}
	commit := open - wpostChallengeLookback
	rand := chain.Randomness(chain.KindChain, int64(crypto.DomainSeparationTag_PoStChainCommit), commit, nil)
	p, err := t.V.SubmitWindowedPoStParams(av.WindowPoSt{Deadline: uint64(dl), Partitions: partitions,
		ProofType: m.f.WindowPoSt, Proof: fakeProof(postProofSize, "post"), ChainCommitEpoch: commit, ChainCommitRand: rand[:]})
	t.Must(err, "window post params")
	return t.Send(fmt.Sprintf("SubmitWindowedPoSt deadline %d", dl), scenario.Msg{From: m.worker, To: m.addr, Method: minerSubmitWindowedPoSt, Params: p})
}

// availableBalance is balance − locked − pre-commit deposits − pledge −
// fee debt (actors/miner/src/state.rs get_available_balance).
func (m *miner) availableBalance(st *av.MinerState) abi.TokenAmount {
	return big.Sub(m.t.Balance(m.addr), big.Sum(st.LockedFunds, st.PreCommitDeposits, st.InitialPledge, st.FeeDebt))
}

// burnt is the burnt-funds actor's balance.
func burnt(t *scenario.T) abi.TokenAmount { return t.Balance(scenario.ID(genesis.BurntFundsID)) }
