package scenarios

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// Deals: market escrow, two storage deals signed by a secp256k1 and a BLS
// client published together (with a third, badly signed, dropped), and
// their activation in one sector: through PreCommit with deal ids and
// ProveCommitSector up to v12, through ProveCommitSectors3's data
// activation notifications to the market from v13 (FIP-0076)
// (builtin-actors actors/market; integration_tests publish_deals_test.rs,
// prove_commit2_test.rs @v13.0.0).
var Deals = &scenario.Scenario{
	Name:    "deals",
	Summary: "market escrow, deals signed with secp256k1 and BLS keys, activation in a sector (legacy and FIP-0076)",
	Run:     runDeals,
}

const pieceSize16GiB = abi.PaddedPieceSize(16 << 30)

func runDeals(t *scenario.T) {
	alice, carol, dave := t.W.Accounts[Alice], t.W.Accounts[Carol], t.W.Accounts[Dave]
	f := factsFor(t.W.ActorsVersion)
	market := scenario.ID(genesis.MarketID)

	t.Group("setup")
	m := createMiner(t, alice, carol, FIL(10_000))
	frank := newAccount(t, "frank", keys.BLS("deals/frank"), FIL(1_000))
	mid := m.id()

	t.Group("escrow")
	addBalance(t, dave, dave.ID, FIL(50))
	addBalance(t, frank, frank.ID, FIL(50))
	addBalance(t, carol, mid, FIL(100))
	{
		p, err := t.V.MarketWithdrawBalanceParams(dave.Addr, FIL(5))
		t.Must(err, "withdraw params")
		db := t.Balance(dave.Addr)
		r := t.Send("client withdraws 5 FIL", scenario.Msg{From: dave, To: market, Method: marketWithdrawBalance, Params: p}).OK()
		t.EqualAmount("client escrow", amount(marketState(t).Escrow, dave.ID), FIL(45))
		t.EqualAmount("client balance", t.Balance(dave.Addr), big.Sub(big.Add(db, FIL(5)), r.Fee))
		// Only the owner or worker may withdraw a provider's escrow.
		p, err = t.V.MarketWithdrawBalanceParams(m.addr, FIL(1))
		t.Must(err, "withdraw params")
		t.Send("a stranger withdraws the provider's escrow", scenario.Msg{From: dave, To: market, Method: marketWithdrawBalance, Params: p}).
			Expect(exitcode.ErrForbidden)
	}

	t.Group("publish")
	start := t.Epoch() + 400 // after the activation below
	end := start + 200*epochsInDay
	price := big.NewInt(1_000_000_000) // attoFIL per epoch
	deal := func(client address.Address, label string) av.DealProposal {
		return av.DealProposal{PieceCID: pieceCID(t, label), PieceSize: pieceSize16GiB, Client: client, Provider: m.addr,
			Label: label, StartEpoch: start, EndEpoch: end, StoragePricePerEpoch: price,
			ProviderCollateral: FIL(5), ClientCollateral: FIL(1)}
	}
	dA, dB := deal(dave.Addr, "deal A"), deal(frank.Addr, "deal B")
	bad := signDeal(t, dave.Key, deal(frank.Addr, "deal C")) // frank's deal signed by dave
	signed := []av.SignedDeal{signDeal(t, dave.Key, dA), signDeal(t, frank.Key, dB), bad}
	var ids []abi.DealID
	{
		p, err := t.V.PublishStorageDealsParams(signed[2:])
		t.Must(err, "publish params")
		t.Send("publish only a badly signed deal", scenario.Msg{From: carol, To: market, Method: marketPublishStorageDeals, Params: p}).
			Expect(exitcode.ErrIllegalArgument)
		p, err = t.V.PublishStorageDealsParams(signed[:2])
		t.Must(err, "publish params")
		t.Send("a client cannot publish for the provider", scenario.Msg{From: dave, To: market, Method: marketPublishStorageDeals, Params: p}).
			Expect(exitcode.ErrForbidden)
		next := marketState(t).NextID
		p, err = t.V.PublishStorageDealsParams(signed)
		t.Must(err, "publish params")
		r := t.Send("worker publishes two deals and a bad one", scenario.Msg{From: carol, To: market, Method: marketPublishStorageDeals, Params: p}).OK()
		var valid []uint64
		ids, valid, err = t.V.PublishStorageDealsReturn(r.Return())
		t.Must(err, "publish return")
		t.Equal("deal ids", ids, []abi.DealID{next, next + 1})
		t.Equal("valid deals", valid, []uint64{0, 1})
		st := marketState(t)
		t.Equal("next deal id", st.NextID, next+2)
		for i, d := range []av.DealProposal{dA, dB} {
			got, ok := st.Proposals[ids[i]]
			t.Check(ok, "no proposal %d", ids[i])
			t.Equal("proposal piece", got.PieceCID, d.PieceCID)
			t.Equal("proposal label", got.Label, d.Label)
			t.Equal("proposal client", got.Client, scenario.ID(t.IDOf(d.Client)))
			t.Equal("proposal provider", got.Provider, m.addr)
			_, active := st.States[ids[i]]
			t.Check(!active, "deal %d has a state before activation", ids[i])
		}
		// Each client's total price and collateral are locked, and the
		// provider's collateral for both deals.
		fee := big.Mul(price, big.NewInt(int64(end-start)))
		t.EqualAmount("dave locked", amount(st.Locked, dave.ID), big.Add(fee, FIL(1)))
		t.EqualAmount("frank locked", amount(st.Locked, frank.ID), big.Add(fee, FIL(1)))
		t.EqualAmount("provider locked", amount(st.Locked, mid), FIL(10))
		t.EqualAmount("total client storage fee", st.TotalClientStorageFee, big.Mul(fee, big.NewInt(2)))
		t.EqualAmount("total provider collateral", st.TotalProviderLockedCollateral, FIL(10))
	}

	t.Group("activate")
	const n = abi.SectorNumber(20)
	pieces := []abi.PieceInfo{{Size: pieceSize16GiB, PieceCID: dA.PieceCID}, {Size: pieceSize16GiB, PieceCID: dB.PieceCID}}
	pcEpoch := t.Epoch()
	info := av.PreCommitInfo{SealProof: sealProof, SectorNumber: n, SealedCID: sealedCID(t, m.addr.String(), n),
		SealRandEpoch: pcEpoch - 1, Expiration: sectorExpiration(pcEpoch)}
	legacy := !f.ProveCommitSectors3
	if legacy {
		info.DealIDs = ids
	} else {
		cd := commD(t, pieces)
		info.UnsealedCID = &cd
	}
	m.preCommit("pre-commit a sector for the deals", []av.PreCommitInfo{info}).OK()
	pc := m.state().PreCommits[n]
	t.Equal("pre-commit deal ids", len(pc.DealIDs), len(info.DealIDs))
	t.AdvanceTo(pcEpoch + preCommitChallengeDelay + 1)
	var manifests []av.PieceActivation
	if !legacy {
		for i, p := range pieces {
			manifests = append(manifests, av.PieceActivation{CID: p.PieceCID, Size: p.Size,
				Notify: []av.Notification{{Address: market, Payload: dealIDPayload(ids[i])}}})
		}
	}
	if legacy {
		p, err := t.V.ProveCommitSectorParams(n, fakeProof(sealProofSize, "seal"))
		t.Must(err, "params")
		t.Send("ProveCommitSector with deals", scenario.Msg{From: carol, To: m.addr, Method: minerProveCommitSector, Params: p}).OK()
		t.Advance(1)
	} else {
		m.proveCommitOne(n, manifests)
	}
	st := m.state()
	s, ok := st.Sectors[n]
	t.Check(ok, "sector %d not active", n)
	mst := marketState(t)
	for _, id := range ids {
		ds, ok := mst.States[id]
		t.Check(ok, "deal %d not activated", id)
		t.Equal("deal sector start", ds.SectorStartEpoch, s.Activation)
		t.Equal("deal slash epoch", ds.SlashEpoch, abi.ChainEpoch(-1))
		if t.W.ActorsVersion >= 13 {
			t.Equal("deal sector", ds.SectorNumber, n)
		}
	}
	if legacy {
		t.Equal("sector deal ids", s.DealIDs, ids)
	}
	duration := s.Expiration - s.Activation
	if t.W.ActorsVersion >= 9 {
		// Deal weight is the deal space times the sector's remaining life
		// (actors/miner/src/lib.rs, deal_space × duration @v10.0.0).
		t.EqualAmount("sector deal weight", s.DealWeight, big.Mul(big.NewInt(32<<30), big.NewInt(int64(duration))))
	} else {
		t.Check(s.DealWeight.Sign() > 0, "no deal weight")
	}
	t.EqualAmount("sector verified weight", s.VerifiedDealWeight, big.Zero())
	// Unverified deals leave the quality at 1 (deal weight multiplier =
	// base multiplier = 10).
	t.EqualAmount("sector QA power", qaPower(32<<30, duration, s.DealWeight, s.VerifiedDealWeight), big.NewInt(32<<30))
}
