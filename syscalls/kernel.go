package syscalls

import (
	"context"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/rules"
)

// Kernel is everything an actor invocation can ask of the FVM, one method per
// syscall family operation (fvm-abi.md §3). Package kernel implements it, one
// value per invocation; this package only decodes wasm arguments, calls it and
// encodes results.
//
// Error contract for every method: an error carrying an errno.Number (see
// package errno) is a syscall error and is returned to the actor as that
// number; gas.ErrOutOfGas (anywhere in the chain) aborts the invocation as out
// of gas; any other error is fatal for the whole message. Each method performs
// its own gas charges and validation in the order fvm-abi.md §3.2 gives,
// except the steps that are about wasm memory (bounds checks, parsing CIDs,
// addresses and CBOR out of memory), which this package does first.
//
// What this package does before calling a method (the kernel must not repeat
// it): the exec-gas charge and OnSyscall (fvm-abi.md §1.3), the ret_ptr check,
// every bounds check, CID/address/CBOR parsing (f4 is rejected without
// Rules.DelegatedAddresses),
// the signature-type and seal-proof-type checks, send's flag check, the
// 21-byte minimum of New/NextActorAddress, block_read's "offset + len(buf)
// fits in an i32" check, and debug.log/store_artifact when debugging is off.
// After the call it writes the results (BufferTooSmall for CIDs and
// addresses, digest truncation) and re-syncs the gas global.
//
// Retention: every []byte argument (BlockCreate data, BlockRead buf,
// VerifySignature sig and plaintext, VerifyBLSAggregate sig, pubKeys and
// plaintexts, Hash data, VerifyConsensusFault h1, h2, extra, the randomness
// entropy, EmitEvent raw, EmitEventEntries keys and values, StoreArtifact
// data) is a view of the actor's wasm memory, valid only until the method
// returns. A method that keeps bytes (BlockCreate into the registry,
// EmitEvent and EmitEventEntries into the event list) must copy them; a method must never write to a view other than
// BlockRead's buf. Everything else (CIDs, addresses, strings, decoded proof
// infos, piece lists) is owned by the kernel once passed.
//
// Send's ctx is the host-call context: nested invocations must run under it
// (syscalls.Invoke(ctx, …)); the caller's gas global is re-synced after Send
// returns.
type Kernel interface {
	// Gas, prices and rules (used by the syscall wrapper, fvm-abi.md §1.3,
	// and by the ABI's version-dependent decoding).
	GasTracker() *gas.Tracker
	PriceList() *gas.PriceList
	Rules() *rules.Rules

	// vm
	InvocationContext() (InvocationContext, error) // nv17 vm.context
	MessageContext() (MessageContext, error)       // nv18 vm.message_context

	// network
	BaseFee() (abi.TokenAmount, error) // nv17 network.base_fee
	TotalFilCircSupply() (abi.TokenAmount, error)
	NetworkContext() (NetworkContext, error)         // nv18
	TipsetCid(epoch abi.ChainEpoch) (cid.Cid, error) // nv18

	// ipld (fvm-abi.md §4)
	BlockOpen(c cid.Cid) (id uint32, stat BlockStat, err error)
	BlockCreate(codec uint64, data []byte) (uint32, error)
	// BlockRead copies from block id at offset into buf and returns
	// size − (offset + len(buf)) as fvm-abi.md §3.2 defines. offset +
	// len(buf) ≤ 2^31 − 1 is already checked.
	BlockRead(id uint32, offset uint32, buf []byte) (int32, error)
	BlockStat(id uint32) (BlockStat, error)
	BlockLink(id uint32, hashFun uint64, hashLen uint32) (cid.Cid, error)

	// self
	Root() (cid.Cid, error)
	SetRoot(c cid.Cid) error
	CurrentBalance() (abi.TokenAmount, error)
	SelfDestruct(beneficiary address.Address) error // FVM v2 and v3
	SelfDestructBurn(burn bool) error               // FVM v4 (FIP-0073)

	// actor
	ResolveAddress(a address.Address) (abi.ActorID, error)
	GetActorCodeCid(id abi.ActorID) (cid.Cid, error)
	GetBuiltinActorType(code cid.Cid) (int32, error)
	GetCodeCidForType(typ int32) (cid.Cid, error)
	NewActorAddress() (address.Address, error)  // nv17: increments the counter
	NextActorAddress() (address.Address, error) // nv18: does not
	// CreateActor: delegated is nil in nv17 and when no address was passed.
	CreateActor(code cid.Cid, id abi.ActorID, delegated *address.Address) error
	LookupDelegatedAddress(id abi.ActorID) (*address.Address, error) // nil = none
	BalanceOf(id abi.ActorID) (abi.TokenAmount, error)

	// crypto
	VerifySignature(sigType int32, sig []byte, signer address.Address, plaintext []byte) (bool, error)
	// VerifyBLSAggregate (FVM v4, FIP-0079): sig is 96 bytes, pubKeys
	// 48·len(plaintextLens) bytes, plaintexts the concatenated plaintexts as
	// the syscall sliced them (the lengths' u32 sum, not yet checked against
	// the lengths one by one).
	VerifyBLSAggregate(sig, pubKeys []byte, plaintextLens []uint32, plaintexts []byte) (bool, error)
	RecoverSecpPublicKey(hash [32]byte, sig [65]byte) ([65]byte, error)
	// Hash returns the full digest; the caller truncates to the buffer.
	Hash(code uint64, data []byte) ([]byte, error)
	ComputeUnsealedSectorCid(proofType abi.RegisteredSealProof, pieces []abi.PieceInfo) (cid.Cid, error)
	VerifySeal(info *proof.SealVerifyInfo) (bool, error)
	VerifyPost(info *proof.WindowPoStVerifyInfo) (bool, error)
	VerifyAggregateSeals(agg *proof.AggregateSealVerifyProofAndInfos) (bool, error)
	VerifyReplicaUpdate(rep *proof.ReplicaUpdateInfo) (bool, error)
	BatchVerifySeals(infos []proof.SealVerifyInfo) ([]bool, error)
	VerifyConsensusFault(h1, h2, extra []byte) (*ConsensusFault, error) // nil = no fault

	// rand, FVM v2 and v3: the final 32-byte value (the kernel does the
	// blake2b step).
	GetChainRandomness(tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error)
	GetBeaconRandomness(tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error)
	// rand, FVM v4 (FIP-0075): the client's digest for the epoch, unchanged.
	GetChainRandomnessDigest(epoch abi.ChainEpoch) ([32]byte, error)
	GetBeaconRandomnessDigest(epoch abi.ChainEpoch) ([32]byte, error)

	// gas
	ChargeGas(name string, amount int64) error // nv17: signed; nv18 passes the u64 bits
	GasAvailable() (uint64, error)             // nv18, whole gas rounded down

	// send. gasLimit is nil for "no limit" (nv17 always, nv18 u64::MAX).
	// ctx is the host-call context: nested invocations run under it.
	Send(ctx context.Context, to address.Address, method abi.MethodNum, paramsID uint32,
		value abi.TokenAmount, gasLimit *uint64, flags SendFlags) (SendResult, error)

	// event, FVM v3: raw is the CBOR ActorEvent exactly as the actor passed it.
	EmitEvent(raw []byte) error
	// event, FVM v4 (FIP-0072): the packed entry headers, already decoded,
	// and the key and value buffers.
	EmitEventEntries(entries []EventEntry, keys, values []byte) error

	// debug
	DebugEnabled() bool
	Log(msg string)
	StoreArtifact(name string, data []byte) error
}

// EventEntry is one packed entry header of FVM v4's emit_event (24 bytes:
// flags u64, codec u64, key_len u32, val_len u32; fvm-abi-next.md §1.3).
type EventEntry struct {
	Flags, Codec     uint64
	KeyLen, ValueLen uint32
}

// BlockStat is a block's codec and size (IpldStat; IpldOpen adds the id).
type BlockStat struct {
	Codec uint64
	Size  uint32
}

// SendFlags are the nv18 send flags; bit 0 is READ_ONLY.
type SendFlags uint64

// ReadOnly is the only send flag defined.
const ReadOnly SendFlags = 1

// SendResult is the Send struct of fvm-abi.md §1.5.
type SendResult struct {
	ExitCode    uint32
	ReturnID    uint32
	ReturnCodec uint64
	ReturnSize  uint32
}

// InvocationContext is the nv17 vm.context result (52 bytes packed).
type InvocationContext struct {
	ValueReceived    abi.TokenAmount
	Caller           abi.ActorID
	Receiver         abi.ActorID
	MethodNumber     abi.MethodNum
	NetworkCurrEpoch abi.ChainEpoch
	NetworkVersion   network.Version
}

// MessageContext is the nv18 vm.message_context result (80 bytes packed).
type MessageContext struct {
	Origin        abi.ActorID
	Nonce         uint64
	Caller        abi.ActorID
	Receiver      abi.ActorID
	MethodNumber  abi.MethodNum
	ValueReceived abi.TokenAmount
	GasPremium    abi.TokenAmount
	Flags         SendFlags
}

// NetworkContext is the nv18 network.context result (44 bytes packed).
type NetworkContext struct {
	Epoch          abi.ChainEpoch
	Timestamp      uint64
	BaseFee        abi.TokenAmount
	ChainID        uint64
	NetworkVersion network.Version
}

// ConsensusFault is the VerifyConsensusFault struct (20 bytes packed).
type ConsensusFault struct {
	Epoch  abi.ChainEpoch
	Target abi.ActorID
	Type   uint32 // 1 double-fork, 2 parent-grinding, 3 time-offset
}
