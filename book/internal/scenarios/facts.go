package scenarios

import "github.com/filecoin-project/go-state-types/abi"

// facts are what the book expects of one builtin-actors version where the
// actors differ by design. Each names the source it follows, at the
// version's tag in filecoin-project/builtin-actors.
type facts struct {
	// WindowPoSt is the proof type CreateMiner accepts for 32 GiB sectors:
	// V1 up to v10 (runtime/src/runtime/policy.rs valid_post_proof_type
	// @v10.0.0), V1P1 from v11 (actors/miner/src/lib.rs constructor,
	// is_window_post_proof_v1p1 @v11.0.0; policy.rs @v12.0.0 lists only
	// V1P1).
	WindowPoSt abi.RegisteredPoStProof
	// WrongWindowPoSt is a proof type CreateMiner refuses.
	WrongWindowPoSt abi.RegisteredPoStProof

	// Miner methods (actors/miner/src/lib.rs Method at each tag).
	PreCommitSector         bool // 6: v8–v12 (gone @v13.0.0)
	PreCommitSectorBatch    bool // 25: v8–v12 (gone @v13.0.0)
	PreCommitSectorBatch2   bool // 28: from v9
	ProveCommitSector       bool // 7: v8–v13, verified in power's cron batch (gone @v14.0.0)
	ProveCommitAggregate    bool // 26: v8–v16 (gone @v17.0.0)
	ProveCommitSectors3     bool // 34: from v13 (FIP-0076), activates at once
	ExtendSectorExpiration  bool // 8: v8–v16 (gone @v17.0.0)
	ExtendSectorExpiration2 bool // 32: from v9
	// CreateMinerDeposit: the miner constructor locks a deposit that vests
	// over 180 entries (actors/miner/src/lib.rs constructor,
	// calculate_create_miner_deposit @v17.0.0; integration_tests
	// util/workflows.rs create_miner_internal @v18.0.0).
	CreateMinerDeposit bool
	// DailyFee: every deadline cron burns a daily fee for the deadline's
	// sectors (FIP-0100; actors/miner/src/lib.rs handle_proving_deadline,
	// daily_proof_fee_payable @v16.0.1).
	DailyFee bool
	// Datacap: the datacap token actor and allocations (FIP-0045, v9).
	Datacap bool
	// EVM: the EVM, EAM, placeholder and Ethereum accounts (FIP-0054, v10).
	EVM bool
}

func factsFor(av int) facts {
	f := facts{
		WindowPoSt:              abi.RegisteredPoStProof_StackedDrgWindow32GiBV1,
		WrongWindowPoSt:         abi.RegisteredPoStProof_StackedDrgWindow32GiBV1_1,
		PreCommitSector:         av <= 12,
		PreCommitSectorBatch:    av <= 12,
		PreCommitSectorBatch2:   av >= 9,
		ProveCommitSector:       av <= 13,
		ProveCommitAggregate:    av <= 16,
		ProveCommitSectors3:     av >= 13,
		ExtendSectorExpiration:  av <= 16,
		ExtendSectorExpiration2: av >= 9,
		CreateMinerDeposit:      av >= 17,
		DailyFee:                av >= 16,
		Datacap:                 av >= 9,
		EVM:                     av >= 10,
	}
	if av >= 11 {
		f.WindowPoSt, f.WrongWindowPoSt = abi.RegisteredPoStProof_StackedDrgWindow32GiBV1_1, abi.RegisteredPoStProof_StackedDrgWindow32GiBV1
	}
	return f
}

// Policy constants of the mainnet bundles used by the book (runtime/src/
// runtime/policy.rs policy_constants, the same in v8–v18).
const (
	epochsInDay             abi.ChainEpoch = 2880
	wpostProvingPeriod      abi.ChainEpoch = epochsInDay
	wpostChallengeWindow    abi.ChainEpoch = 60
	wpostPeriodDeadlines                   = 48
	wpostChallengeLookback  abi.ChainEpoch = 20
	preCommitChallengeDelay abi.ChainEpoch = 150
	sectorSize32GiB                        = 32 << 30
	postProofSize                          = 192  // a 32 GiB Window PoSt proof (one partition)
	sealProofSize                          = 1920 // a 32 GiB seal proof
	minAggregatedSectors                   = 4
	faultDeclarationCutoff  abi.ChainEpoch = wpostChallengeLookback + 50
)
