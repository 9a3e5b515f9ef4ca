// Package av ("actors version") reads and writes the builtin actors' states
// and method parameters with the go-state-types package of one
// builtin-actors version (v8 … v18). One generated file per version
// (zz_vN.go, from gen.go and the *.tmpl templates) implements Actors for
// that version, so that every encoding the book sends and every state it
// asserts on uses exactly the types of the bundle it runs; the compiler
// checks each version's shapes.
package av

import (
	"context"
	"fmt"
	"sort"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"
	"github.com/ipfs/go-cid"
	cbor "github.com/ipfs/go-ipld-cbor"
)

//go:generate go run gen.go

// Actors is one actors version's encoders and state readers. Params
// methods return CBOR; Read methods decode a state head.
type Actors interface {
	Version() int

	// CheckInvariants runs go-state-types' port of the actors' state
	// invariant checks over the whole tree (actors is the StateRoot's actor
	// HAMT) and returns the violations it finds.
	CheckInvariants(ctx context.Context, store cbor.IpldStore, actors cid.Cid, priorEpoch abi.ChainEpoch, codes map[string]cid.Cid) ([]string, error)

	// AccountAddress reads an account actor's key address.
	AccountAddress(ctx context.Context, store cbor.IpldStore, head cid.Cid) (address.Address, error)

	// init
	ExecParams(code cid.Cid, ctorParams []byte) ([]byte, error)
	ExecReturn(ret []byte) (id, robust address.Address, err error)
	InitState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*InitState, error)

	// multisig
	MultisigConstructorParams(signers []address.Address, threshold uint64, unlockDuration, start abi.ChainEpoch) ([]byte, error)
	ProposeParams(to address.Address, value abi.TokenAmount, method abi.MethodNum, params []byte) ([]byte, error)
	ProposeReturn(ret []byte) (*TxnResult, error)
	TxnIDParams(id int64, proposalHash []byte) ([]byte, error)
	ApproveReturn(ret []byte) (*TxnResult, error)
	ProposalHash(requester, to address.Address, value abi.TokenAmount, method abi.MethodNum, params []byte) ([]byte, error)
	AddSignerParams(signer address.Address, increase bool) ([]byte, error)
	RemoveSignerParams(signer address.Address, decrease bool) ([]byte, error)
	ChangeThresholdParams(threshold uint64) ([]byte, error)
	MultisigState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*MultisigState, error)

	// power and reward
	CreateMinerParams(owner, worker address.Address, proof abi.RegisteredPoStProof, peer []byte, multiaddrs [][]byte) ([]byte, error)
	CreateMinerReturn(ret []byte) (id, robust address.Address, err error)
	PowerState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*PowerState, error)
	RewardState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*RewardState, error)
	// BaselinePowerFromPrev is the reward actor's baseline growth for one
	// epoch (go-state-types' port of actors/reward/src/logic.rs).
	BaselinePowerFromPrev(p abi.StoragePower) abi.StoragePower

	// miner (an encoder for a method the version lacks returns
	// *ErrNotInVersion)
	MinerState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*MinerState, error)
	PreCommitSectorParams(p PreCommitInfo) ([]byte, error)
	PreCommitSectorBatchParams(ps []PreCommitInfo) ([]byte, error)
	PreCommitSectorBatch2Params(ps []PreCommitInfo) ([]byte, error)
	ProveCommitSectorParams(n abi.SectorNumber, proof []byte) ([]byte, error)
	ProveCommitAggregateParams(sectors []uint64, proof []byte) ([]byte, error)
	ProveCommitSectors3Params(p ProveCommit3) ([]byte, error)
	SubmitWindowedPoStParams(p WindowPoSt) ([]byte, error)
	DeclareFaultsRecoveredParams(deadline, partition uint64, sectors []uint64) ([]byte, error)
	DeclareFaultsParams(deadline, partition uint64, sectors []uint64) ([]byte, error)
	ExtendSectorExpirationParams(deadline, partition uint64, sectors []uint64, expiration abi.ChainEpoch) ([]byte, error)
	ExtendSectorExpiration2Params(deadline, partition uint64, sectors []uint64, expiration abi.ChainEpoch) ([]byte, error)
	TerminateSectorsParams(deadline, partition uint64, sectors []uint64) ([]byte, error)
	TerminateSectorsReturn(ret []byte) (done bool, err error)
	ChangeWorkerAddressParams(worker address.Address, control []address.Address) ([]byte, error)
	ChangePeerIDParams(peer []byte) ([]byte, error)
	ChangeMultiaddrsParams(multiaddrs [][]byte) ([]byte, error)
	WithdrawBalanceParams(amount abi.TokenAmount) ([]byte, error)

	// market
	AddBalanceParams(a address.Address) ([]byte, error)
	MarketWithdrawBalanceParams(a address.Address, amount abi.TokenAmount) ([]byte, error)
	DealProposalBytes(p DealProposal) ([]byte, error)
	PublishStorageDealsParams(deals []SignedDeal) ([]byte, error)
	PublishStorageDealsReturn(ret []byte) (ids []abi.DealID, valid []uint64, err error)
	MarketState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*MarketState, error)

	// verified registry and datacap (datacap from v9)
	AddVerifierParams(a address.Address, allowance abi.StoragePower) ([]byte, error)
	AddVerifiedClientParams(a address.Address, allowance abi.StoragePower) ([]byte, error)
	VerifregState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*VerifregState, error)
	DatacapTransfer(to address.Address, amount abi.TokenAmount, reqs []AllocationRequest) (abi.MethodNum, []byte, error)
	DatacapTransferReturn(ret []byte) (newAllocations []uint64, err error)
	DatacapState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*DatacapState, error)

	// EAM and EVM (v10+)
	EAMCreateExternalParams(initcode []byte) ([]byte, error)
	EAMReturn(ret []byte) (*EAMReturn, error)
	EVMState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*EVMState, error)

	// payment channels
	PaychConstructorParams(from, to address.Address) ([]byte, error)
	VoucherSigningBytes(v Voucher) ([]byte, error)
	UpdateChannelStateParams(v Voucher) ([]byte, error)
	PaychState(ctx context.Context, store cbor.IpldStore, head cid.Cid) (*PaychState, error)
}

// InitState is the init actor's state.
type InitState struct {
	NextID      abi.ActorID
	NetworkName string
	// Resolve looks an address up in the address map.
	Resolve func(a address.Address) (abi.ActorID, bool, error)
}

// TxnResult is a multisig proposal's or approval's outcome.
type TxnResult struct {
	TxnID   int64 // proposals only
	Applied bool
	Code    exitcode.ExitCode
	Ret     []byte
}

// MultisigState is a multisig's state with its pending transactions.
type MultisigState struct {
	Signers        []address.Address
	Threshold      uint64
	NextTxnID      int64
	InitialBalance abi.TokenAmount
	StartEpoch     abi.ChainEpoch
	UnlockDuration abi.ChainEpoch
	Pending        map[int64]Txn
}

// Txn is a pending multisig transaction; Approved[0] is the proposer.
type Txn struct {
	To       address.Address
	Value    abi.TokenAmount
	Method   abi.MethodNum
	Params   []byte
	Approved []address.Address
}

var versions = map[int]Actors{}

func register(a Actors) { versions[a.Version()] = a }

// For returns actors version v.
func For(v int) (Actors, error) {
	a, ok := versions[v]
	if !ok {
		return nil, fmt.Errorf("av: actors v%d is not known (have %v)", v, Versions())
	}
	return a, nil
}

// Versions lists the known actors versions, ascending.
func Versions() []int {
	out := make([]int, 0, len(versions))
	for v := range versions {
		out = append(out, v)
	}
	sort.Ints(out)
	return out
}
