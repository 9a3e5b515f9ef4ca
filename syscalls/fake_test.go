package syscalls

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/filecoin-project/go-state-types/proof"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel/gas"
	"github.com/gofvm/gofvm/rules"
)

// fakeKernel records every call (with copies of the byte arguments) and
// returns the values and error the test chose. It charges no gas itself
// unless charge is set.
type fakeKernel struct {
	nv      network.Version
	tracker *gas.Tracker
	prices  *gas.PriceList
	calls   []string

	err    error   // returned by every kernel method when set
	charge gas.Gas // charged (as "fake") by every kernel method before returning

	debug   bool
	cid     cid.Cid
	addr    *address.Address
	token   abi.TokenAmount
	id      uint32
	i32     int32
	u64     uint64
	ok      bool
	stat    BlockStat
	block   []byte // the content of block 1 for BlockRead
	digest  []byte
	pub     [65]byte
	rand    [32]byte
	fault   *ConsensusFault
	batch   []bool
	send    SendResult
	invCtx  InvocationContext
	msgCtx  MessageContext
	netCtx  NetworkContext
	onSend  func(ctx context.Context) // runs inside Send (nested invocations)
	logs    []string
	noCalls bool // record nothing (benchmarks)
}

// onSyscallGas is the OnSyscall price of both lists (fvm-gas.md §2: 14,000 gas).
const onSyscallGas = 14000

func newFake(nv network.Version, limit gas.Gas) *fakeKernel {
	prices := rules.MustFor(nv).Prices
	return &fakeKernel{nv: nv, tracker: gas.NewTracker(limit), prices: prices}
}

func (f *fakeKernel) rec(name string, args ...any) error {
	if !f.noCalls {
		parts := make([]string, len(args))
		for i, a := range args {
			switch v := a.(type) {
			case []byte:
				parts[i] = fmt.Sprintf("%x", v)
			case *address.Address:
				if v == nil {
					parts[i] = "nil"
				} else {
					parts[i] = v.String()
				}
			case *uint64:
				if v == nil {
					parts[i] = "nil"
				} else {
					parts[i] = fmt.Sprint(*v)
				}
			default:
				parts[i] = fmt.Sprint(v)
			}
		}
		f.calls = append(f.calls, name+"("+strings.Join(parts, ",")+")")
	}
	if f.charge != 0 {
		if err := f.tracker.ChargeMilli("fake", f.charge); err != nil {
			return err
		}
	}
	return f.err
}

func (f *fakeKernel) GasTracker() *gas.Tracker  { return f.tracker }
func (f *fakeKernel) PriceList() *gas.PriceList { return f.prices }
func (f *fakeKernel) Rules() *rules.Rules       { return rules.MustFor(f.nv) }

func (f *fakeKernel) InvocationContext() (InvocationContext, error) {
	return f.invCtx, f.rec("InvocationContext")
}
func (f *fakeKernel) MessageContext() (MessageContext, error) {
	return f.msgCtx, f.rec("MessageContext")
}
func (f *fakeKernel) BaseFee() (abi.TokenAmount, error) { return f.token, f.rec("BaseFee") }
func (f *fakeKernel) TotalFilCircSupply() (abi.TokenAmount, error) {
	return f.token, f.rec("TotalFilCircSupply")
}
func (f *fakeKernel) NetworkContext() (NetworkContext, error) {
	return f.netCtx, f.rec("NetworkContext")
}
func (f *fakeKernel) TipsetCid(epoch abi.ChainEpoch) (cid.Cid, error) {
	return f.cid, f.rec("TipsetCid", epoch)
}
func (f *fakeKernel) BlockOpen(c cid.Cid) (uint32, BlockStat, error) {
	return f.id, f.stat, f.rec("BlockOpen", c)
}
func (f *fakeKernel) BlockCreate(codec uint64, data []byte) (uint32, error) {
	return f.id, f.rec("BlockCreate", codec, data)
}
func (f *fakeKernel) BlockRead(id uint32, offset uint32, buf []byte) (int32, error) {
	if !f.noCalls { // boxing the arguments would allocate in benchmarks
		if err := f.rec("BlockRead", id, offset, len(buf)); err != nil {
			return 0, err
		}
	}
	start := min(int(offset), len(f.block))
	copy(buf, f.block[start:])
	return int32(int64(len(f.block)) - (int64(offset) + int64(len(buf)))), nil
}
func (f *fakeKernel) BlockStat(id uint32) (BlockStat, error) { return f.stat, f.rec("BlockStat", id) }
func (f *fakeKernel) BlockLink(id uint32, hashFun uint64, hashLen uint32) (cid.Cid, error) {
	return f.cid, f.rec("BlockLink", id, hashFun, hashLen)
}
func (f *fakeKernel) Root() (cid.Cid, error)  { return f.cid, f.rec("Root") }
func (f *fakeKernel) SetRoot(c cid.Cid) error { return f.rec("SetRoot", c) }
func (f *fakeKernel) CurrentBalance() (abi.TokenAmount, error) {
	return f.token, f.rec("CurrentBalance")
}
func (f *fakeKernel) SelfDestruct(b address.Address) error { return f.rec("SelfDestruct", b) }
func (f *fakeKernel) SelfDestructBurn(burn bool) error     { return f.rec("SelfDestructBurn", burn) }
func (f *fakeKernel) ResolveAddress(a address.Address) (abi.ActorID, error) {
	return abi.ActorID(f.u64), f.rec("ResolveAddress", a)
}
func (f *fakeKernel) GetActorCodeCid(id abi.ActorID) (cid.Cid, error) {
	return f.cid, f.rec("GetActorCodeCid", uint64(id))
}
func (f *fakeKernel) GetBuiltinActorType(code cid.Cid) (int32, error) {
	return f.i32, f.rec("GetBuiltinActorType", code)
}
func (f *fakeKernel) GetCodeCidForType(typ int32) (cid.Cid, error) {
	return f.cid, f.rec("GetCodeCidForType", typ)
}
func (f *fakeKernel) NewActorAddress() (address.Address, error) {
	return derefAddr(f.addr), f.rec("NewActorAddress")
}
func (f *fakeKernel) NextActorAddress() (address.Address, error) {
	return derefAddr(f.addr), f.rec("NextActorAddress")
}
func (f *fakeKernel) CreateActor(code cid.Cid, id abi.ActorID, delegated *address.Address) error {
	return f.rec("CreateActor", code, uint64(id), delegated)
}
func (f *fakeKernel) LookupDelegatedAddress(id abi.ActorID) (*address.Address, error) {
	return f.addr, f.rec("LookupDelegatedAddress", uint64(id))
}
func (f *fakeKernel) BalanceOf(id abi.ActorID) (abi.TokenAmount, error) {
	return f.token, f.rec("BalanceOf", uint64(id))
}
func (f *fakeKernel) VerifySignature(sigType int32, sig []byte, signer address.Address, plaintext []byte) (bool, error) {
	return f.ok, f.rec("VerifySignature", sigType, sig, signer, plaintext)
}
func (f *fakeKernel) VerifyBLSAggregate(sig, keys []byte, lens []uint32, plaintexts []byte) (bool, error) {
	return f.ok, f.rec("VerifyBLSAggregate", sig, keys, fmt.Sprint(lens), plaintexts)
}
func (f *fakeKernel) RecoverSecpPublicKey(hash [32]byte, sig [65]byte) ([65]byte, error) {
	return f.pub, f.rec("RecoverSecpPublicKey", hash[:], sig[:])
}
func (f *fakeKernel) Hash(code uint64, data []byte) ([]byte, error) {
	return f.digest, f.rec("Hash", code, data)
}
func (f *fakeKernel) ComputeUnsealedSectorCid(pt abi.RegisteredSealProof, pieces []abi.PieceInfo) (cid.Cid, error) {
	return f.cid, f.rec("ComputeUnsealedSectorCid", int64(pt), pieces)
}
func (f *fakeKernel) VerifySeal(info *proof.SealVerifyInfo) (bool, error) {
	return f.ok, f.rec("VerifySeal", info.SectorID.Number, info.Proof)
}
func (f *fakeKernel) VerifyPost(info *proof.WindowPoStVerifyInfo) (bool, error) {
	return f.ok, f.rec("VerifyPost", uint64(info.Prover), len(info.Proofs))
}
func (f *fakeKernel) VerifyAggregateSeals(agg *proof.AggregateSealVerifyProofAndInfos) (bool, error) {
	return f.ok, f.rec("VerifyAggregateSeals", uint64(agg.Miner), len(agg.Infos))
}
func (f *fakeKernel) VerifyReplicaUpdate(rep *proof.ReplicaUpdateInfo) (bool, error) {
	return f.ok, f.rec("VerifyReplicaUpdate", int64(rep.UpdateProofType), rep.Proof)
}
func (f *fakeKernel) BatchVerifySeals(infos []proof.SealVerifyInfo) ([]bool, error) {
	if f.batch == nil {
		return make([]bool, len(infos)), f.rec("BatchVerifySeals", len(infos))
	}
	return f.batch, f.rec("BatchVerifySeals", len(infos))
}
func (f *fakeKernel) VerifyConsensusFault(h1, h2, extra []byte) (*ConsensusFault, error) {
	return f.fault, f.rec("VerifyConsensusFault", h1, h2, extra)
}
func (f *fakeKernel) GetChainRandomness(tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error) {
	return f.rand, f.rec("GetChainRandomness", tag, epoch, entropy)
}
func (f *fakeKernel) GetBeaconRandomness(tag int64, epoch abi.ChainEpoch, entropy []byte) ([32]byte, error) {
	return f.rand, f.rec("GetBeaconRandomness", tag, epoch, entropy)
}
func (f *fakeKernel) GetChainRandomnessDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return f.rand, f.rec("GetChainRandomnessDigest", epoch)
}
func (f *fakeKernel) GetBeaconRandomnessDigest(epoch abi.ChainEpoch) ([32]byte, error) {
	return f.rand, f.rec("GetBeaconRandomnessDigest", epoch)
}
func (f *fakeKernel) ChargeGas(name string, amount int64) error {
	return f.rec("ChargeGas", name, amount)
}
func (f *fakeKernel) GasAvailable() (uint64, error) { return f.u64, f.rec("GasAvailable") }
func (f *fakeKernel) Send(ctx context.Context, to address.Address, method abi.MethodNum, paramsID uint32,
	value abi.TokenAmount, gasLimit *uint64, flags SendFlags) (SendResult, error) {
	if f.onSend != nil {
		f.onSend(ctx)
	}
	return f.send, f.rec("Send", to, uint64(method), paramsID, value, gasLimit, uint64(flags))
}
func (f *fakeKernel) EmitEvent(raw []byte) error { return f.rec("EmitEvent", raw) }
func (f *fakeKernel) EmitEventEntries(entries []EventEntry, keys, values []byte) error {
	return f.rec("EmitEventEntries", fmt.Sprint(entries), keys, values)
}
func (f *fakeKernel) DebugEnabled() bool { return f.debug }
func (f *fakeKernel) Log(msg string)     { f.logs = append(f.logs, msg); _ = f.rec("Log", msg) }
func (f *fakeKernel) StoreArtifact(name string, data []byte) error {
	return f.rec("StoreArtifact", name, data)
}

func derefAddr(a *address.Address) address.Address {
	if a == nil {
		return address.Undef
	}
	return *a
}

// tokenHL builds hi·2^64 + lo.
func tokenHL(hi, lo uint64) abi.TokenAmount {
	x := new(big.Int).SetUint64(hi)
	x.Lsh(x, 64)
	x.Or(x, new(big.Int).SetUint64(lo))
	return abi.TokenAmount{Int: x}
}
