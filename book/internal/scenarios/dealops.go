package scenarios

import (
	"bytes"
	"crypto/sha256"
	"fmt"

	commp "github.com/filecoin-project/go-commp-utils/v2"
	commcid "github.com/filecoin-project/go-fil-commcid"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/ipfs/go-cid"
	cbg "github.com/whyrusleeping/cbor-gen"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// Market and verified-registry method numbers (actors/market and
// actors/verifreg Method, the same in every version the book runs).
const (
	marketAddBalance          abi.MethodNum = 2
	marketWithdrawBalance     abi.MethodNum = 3
	marketPublishStorageDeals abi.MethodNum = 4
	verifregAddVerifier       abi.MethodNum = 2
	verifregAddVerifiedClient abi.MethodNum = 4
)

// pieceCID is a made-up piece commitment (a field element) for label.
func pieceCID(t *scenario.T, label string) cid.Cid {
	h := sha256.Sum256([]byte("book piece " + label))
	h[31] &= 0x3f
	c, err := commcid.PieceCommitmentV1ToCID(h[:])
	t.Must(err, "piece CID")
	return c
}

// commD is the unsealed sector CID of pieces in a 32 GiB sector, computed
// with go-commp-utils (not with the kernel, which the market and miner use
// to check it).
func commD(t *scenario.T, pieces []abi.PieceInfo) cid.Cid {
	c, _, err := commp.PieceAggregateCommP(sealProof, pieces)
	t.Must(err, "unsealed sector CID")
	return c
}

// signDeal signs the CBOR proposal with the client's key, as the market
// verifies it (v8–v9 through the signature syscall, from v10 through the
// client account's AuthenticateMessage; actors/market/src/lib.rs
// validate_deal).
func signDeal(t *scenario.T, k *keys.Key, d av.DealProposal) av.SignedDeal {
	b, err := t.V.DealProposalBytes(d)
	t.Must(err, "deal proposal bytes")
	sig, err := k.Sign(b)
	t.Must(err, "signing a deal")
	return av.SignedDeal{Deal: d, Signature: *sig}
}

func marketState(t *scenario.T) *av.MarketState {
	st, err := t.V.MarketState(t.Ctx, t.C.CborStore(), t.Head(scenario.ID(genesis.MarketID)))
	t.Must(err, "market state")
	return st
}

func verifregState(t *scenario.T) *av.VerifregState {
	st, err := t.V.VerifregState(t.Ctx, t.C.CborStore(), t.Head(scenario.ID(genesis.VerifregID)))
	t.Must(err, "verified registry state")
	return st
}

func datacapState(t *scenario.T) *av.DatacapState {
	st, err := t.V.DatacapState(t.Ctx, t.C.CborStore(), t.Head(scenario.ID(genesis.DatacapID)))
	t.Must(err, "datacap state")
	return st
}

func amount(m map[abi.ActorID]abi.TokenAmount, id abi.ActorID) abi.TokenAmount {
	if a, ok := m[id]; ok {
		return a
	}
	return big.Zero()
}

// addBalance deposits value in the market's escrow for whom.
func addBalance(t *scenario.T, from *scenario.Account, whom abi.ActorID, value abi.TokenAmount) {
	p, err := t.V.AddBalanceParams(scenario.ID(whom))
	t.Must(err, "add balance params")
	before := amount(marketState(t).Escrow, whom)
	t.Send(fmt.Sprintf("AddBalance for f0%d", whom), scenario.Msg{From: from, To: scenario.ID(genesis.MarketID), Method: marketAddBalance, Params: p, Value: value}).OK()
	t.EqualAmount(fmt.Sprintf("escrow of f0%d", whom), amount(marketState(t).Escrow, whom), big.Add(before, value))
}

// newAccount funds a new account for key k from alice and returns it.
func newAccount(t *scenario.T, name string, k *keys.Key, value abi.TokenAmount) *scenario.Account {
	a := scenario.NewAccount(name, k)
	t.Send("fund "+name, scenario.Msg{From: t.W.Accounts[Alice], To: a.Addr, Value: value}).OK()
	a.ID = t.IDOf(a.Addr)
	return a
}

// dealIDPayload is a deal id as the market's data-activation notification
// payload expects it: a CBOR unsigned integer (actors/market/src/lib.rs
// sector_content_changed @v13.0.0).
func dealIDPayload(id abi.DealID) []byte {
	var b bytes.Buffer
	_ = cbg.CborInt(id).MarshalCBOR(&b)
	return b.Bytes()
}

// qaPower is the quality-adjusted power of a sector of size with deal
// weights (actors/miner/src/policy.rs qa_power_for_weight: quality with 20
// fractional bits from the base, deal and verified-deal space-time weighted
// 10, 10 and 100, over the base multiplier 10).
func qaPower(size uint64, duration abi.ChainEpoch, dealWeight, verifiedWeight abi.DealWeight) abi.StoragePower {
	spaceTime := big.Mul(big.NewIntUnsigned(size), big.NewInt(int64(duration)))
	dealSpaceTime := big.Add(dealWeight, verifiedWeight)
	weighted := big.Sum(
		big.Mul(big.Sub(spaceTime, dealSpaceTime), big.NewInt(10)),
		big.Mul(dealWeight, big.NewInt(10)),
		big.Mul(verifiedWeight, big.NewInt(100)))
	quality := big.Div(big.Div(big.Lsh(weighted, 20), spaceTime), big.NewInt(10))
	return big.Rsh(big.Mul(big.NewIntUnsigned(size), quality), 20)
}
