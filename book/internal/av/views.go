package av

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/crypto"
	"github.com/ipfs/go-cid"
)

// PowerState is the power actor's state with every claim.
type PowerState struct {
	TotalRawBytePower         abi.StoragePower
	TotalBytesCommitted       abi.StoragePower
	TotalQualityAdjPower      abi.StoragePower
	TotalQABytesCommitted     abi.StoragePower
	TotalPledgeCollateral     abi.TokenAmount
	ThisEpochRawBytePower     abi.StoragePower
	ThisEpochQualityAdjPower  abi.StoragePower
	ThisEpochPledgeCollateral abi.TokenAmount
	MinerCount                int64
	MinerAboveMinPowerCount   int64
	FirstCronEpoch            abi.ChainEpoch
	Claims                    map[abi.ActorID]Claim
}

// Claim is a miner's power claim.
type Claim struct {
	WindowPoStProofType abi.RegisteredPoStProof
	RawBytePower        abi.StoragePower
	QualityAdjPower     abi.StoragePower
}

// RewardState is the reward actor's state.
type RewardState struct {
	CumsumBaseline          abi.StoragePower
	CumsumRealized          abi.StoragePower
	EffectiveNetworkTime    abi.ChainEpoch
	EffectiveBaselinePower  abi.StoragePower
	ThisEpochReward         abi.TokenAmount
	ThisEpochBaselinePower  abi.StoragePower
	Epoch                   abi.ChainEpoch
	TotalStoragePowerReward abi.TokenAmount
}

// MinerState is a miner's state: its info, funds, sectors, pre-commits and
// deadlines.
type MinerState struct {
	Owner, Worker       address.Address
	ControlAddresses    []address.Address
	PendingWorker       address.Address // Undef when no change is pending
	PendingWorkerAt     abi.ChainEpoch
	PeerID              []byte
	Multiaddrs          [][]byte
	SectorSize          abi.SectorSize
	WindowPoStProofType abi.RegisteredPoStProof

	PreCommitDeposits abi.TokenAmount
	LockedFunds       abi.TokenAmount
	FeeDebt           abi.TokenAmount
	InitialPledge     abi.TokenAmount
	VestingFunds      []VestingFund

	ProvingPeriodStart abi.ChainEpoch
	CurrentDeadline    uint64
	DeadlineCronActive bool

	Sectors    map[abi.SectorNumber]Sector
	PreCommits map[abi.SectorNumber]PreCommit
	Deadlines  []Deadline
	// EarlyTerminations lists the deadlines with early terminations to
	// process.
	EarlyTerminations []uint64
}

// VestingFund is one entry of a miner's vesting table.
type VestingFund struct {
	Epoch  abi.ChainEpoch
	Amount abi.TokenAmount
}

// Sector is a sector's on-chain info.
type Sector struct {
	Number             abi.SectorNumber
	SealProof          abi.RegisteredSealProof
	SealedCID          cid.Cid
	DealIDs            []abi.DealID
	Activation         abi.ChainEpoch
	Expiration         abi.ChainEpoch
	DealWeight         abi.DealWeight
	VerifiedDealWeight abi.DealWeight
	InitialPledge      abi.TokenAmount
}

// PreCommit is a pre-committed sector.
type PreCommit struct {
	SealProof     abi.RegisteredSealProof
	SectorNumber  abi.SectorNumber
	SealedCID     cid.Cid
	SealRandEpoch abi.ChainEpoch
	DealIDs       []abi.DealID
	Expiration    abi.ChainEpoch
	Deposit       abi.TokenAmount
	Epoch         abi.ChainEpoch
}

// Deadline is one of the 48 deadlines with its partitions.
type Deadline struct {
	Partitions        []Partition
	LiveSectors       uint64
	TotalSectors      uint64
	FaultyRawPower    abi.StoragePower
	FaultyQAPower     abi.StoragePower
	PostSubmissions   []uint64
	EarlyTerminations []uint64
}

// Partition lists sector numbers by their state.
type Partition struct {
	Sectors     []uint64
	Unproven    []uint64
	Faults      []uint64
	Recoveries  []uint64
	Terminated  []uint64
	LiveRaw     abi.StoragePower
	FaultyRaw   abi.StoragePower
	UnprovenRaw abi.StoragePower
}

// SectorDeadline finds the deadline and partition holding sector n (ok
// false if none).
func (m *MinerState) SectorDeadline(n abi.SectorNumber) (dl, part int, ok bool) {
	for d, dead := range m.Deadlines {
		for p, pt := range dead.Partitions {
			for _, s := range pt.Sectors {
				if s == uint64(n) {
					return d, p, true
				}
			}
		}
	}
	return 0, 0, false
}

// PreCommitInfo is one sector to pre-commit.
type PreCommitInfo struct {
	SealProof     abi.RegisteredSealProof
	SectorNumber  abi.SectorNumber
	SealedCID     cid.Cid
	SealRandEpoch abi.ChainEpoch
	DealIDs       []abi.DealID
	Expiration    abi.ChainEpoch
	// UnsealedCID is the CommD (actors v9+ batch2; nil: the market computes
	// it from the deals, or the empty sector's).
	UnsealedCID *cid.Cid
}

// ProveCommit3 is ProveCommitSectors3's parameters (actors v13+, FIP-0076).
type ProveCommit3 struct {
	Activations                []SectorActivation
	SectorProofs               [][]byte
	AggregateProof             []byte
	AggregateProofType         abi.RegisteredAggregationProof
	RequireActivationSuccess   bool
	RequireNotificationSuccess bool
}

// SectorActivation lists a sector's pieces.
type SectorActivation struct {
	SectorNumber abi.SectorNumber
	Pieces       []PieceActivation
}

// PieceActivation is one piece of a sector: its CID and size, an optional
// verified allocation (client id and allocation id, 0 for none) and the
// actors to notify.
type PieceActivation struct {
	CID              cid.Cid
	Size             abi.PaddedPieceSize
	AllocationClient abi.ActorID
	AllocationID     uint64
	Notify           []Notification
}

// Notification is a data-activation notification.
type Notification struct {
	Address address.Address
	Payload []byte
}

// WindowPoSt is a SubmitWindowedPoSt.
type WindowPoSt struct {
	Deadline         uint64
	Partitions       []uint64
	ProofType        abi.RegisteredPoStProof
	Proof            []byte
	ChainCommitEpoch abi.ChainEpoch
	ChainCommitRand  abi.Randomness
}

// MarketState is the market's state with every deal and balance.
type MarketState struct {
	NextID                        abi.DealID
	Proposals                     map[abi.DealID]DealProposal
	States                        map[abi.DealID]DealState
	Escrow                        map[abi.ActorID]abi.TokenAmount
	Locked                        map[abi.ActorID]abi.TokenAmount
	TotalClientLockedCollateral   abi.TokenAmount
	TotalProviderLockedCollateral abi.TokenAmount
	TotalClientStorageFee         abi.TokenAmount
	// PendingAllocations maps verified deals to their allocation (v9+).
	PendingAllocations map[abi.DealID]uint64
}

// DealProposal is a storage deal's proposal.
type DealProposal struct {
	PieceCID             cid.Cid
	PieceSize            abi.PaddedPieceSize
	VerifiedDeal         bool
	Client, Provider     address.Address
	Label                string
	StartEpoch, EndEpoch abi.ChainEpoch
	StoragePricePerEpoch abi.TokenAmount
	ProviderCollateral   abi.TokenAmount
	ClientCollateral     abi.TokenAmount
}

// DealState is an activated deal's state. SectorNumber exists from v13,
// VerifiedClaim in v9–v12.
type DealState struct {
	SectorNumber     abi.SectorNumber
	SectorStartEpoch abi.ChainEpoch
	LastUpdatedEpoch abi.ChainEpoch
	SlashEpoch       abi.ChainEpoch
	VerifiedClaim    uint64
}

// SignedDeal is a client's deal proposal with its signature.
type SignedDeal struct {
	Deal      DealProposal
	Signature crypto.Signature
}

// VerifregState is the verified registry's state.
type VerifregState struct {
	RootKey   address.Address
	Verifiers map[abi.ActorID]abi.StoragePower
	// VerifiedClients holds the clients' datacap in v8 (from v9 the
	// datacap actor does).
	VerifiedClients  map[abi.ActorID]abi.StoragePower
	Allocations      map[uint64]Allocation
	Claims           map[uint64]VerifiedClaim
	NextAllocationID uint64
}

// Allocation is a verified allocation (v9+).
type Allocation struct {
	Client, Provider abi.ActorID
	Data             cid.Cid
	Size             abi.PaddedPieceSize
	TermMin, TermMax abi.ChainEpoch
	Expiration       abi.ChainEpoch
}

// VerifiedClaim is a claim of an allocation (v9+).
type VerifiedClaim struct {
	Provider, Client abi.ActorID
	Data             cid.Cid
	Size             abi.PaddedPieceSize
	TermMin, TermMax abi.ChainEpoch
	TermStart        abi.ChainEpoch
	Sector           abi.SectorNumber
}

// AllocationRequest asks for an allocation in a datacap transfer (v9+).
type AllocationRequest struct {
	Provider         abi.ActorID
	Data             cid.Cid
	Size             abi.PaddedPieceSize
	TermMin, TermMax abi.ChainEpoch
	Expiration       abi.ChainEpoch
}

// DatacapState is the datacap token's supply and balances (v9+).
type DatacapState struct {
	Supply   abi.TokenAmount
	Balances map[abi.ActorID]abi.TokenAmount
}

// EAMReturn is what the EAM's Create methods return.
type EAMReturn struct {
	ActorID       abi.ActorID
	RobustAddress *address.Address
	EthAddress    [20]byte
}

// EVMState is an EVM contract's state.
type EVMState struct {
	Bytecode     cid.Cid
	BytecodeHash [32]byte
	Nonce        uint64
	Tombstone    bool
}

// Voucher is a payment-channel voucher (one lane, no merges, no secret).
type Voucher struct {
	Channel     address.Address
	Lane, Nonce uint64
	Amount      abi.TokenAmount
	TimeLockMin abi.ChainEpoch
	Signature   *crypto.Signature
}

// PaychState is a payment channel's state.
type PaychState struct {
	From, To        address.Address
	ToSend          abi.TokenAmount
	SettlingAt      abi.ChainEpoch
	MinSettleHeight abi.ChainEpoch
	Lanes           map[uint64]LaneState
}

// LaneState is a lane's redeemed amount and nonce.
type LaneState struct {
	Redeemed abi.TokenAmount
	Nonce    uint64
}
