package scenarios

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/big"
	"github.com/filecoin-project/go-state-types/exitcode"

	"github.com/gofvm/gofvm/book/internal/av"
	"github.com/gofvm/gofvm/book/internal/keys"
	"github.com/gofvm/gofvm/book/internal/scenario"
	"github.com/gofvm/gofvm/genesis"
)

// Verified: the root key adds a verifier, the verifier a verified client;
// the client's datacap (a token from v9, FIP-0045; the registry's own table
// in v8) pays for a verified deal and, from v9, for a direct allocation by
// a datacap transfer to the registry; a sector claims them (the deal
// through the market; the direct allocation through ProveCommitSectors3
// from v13) and its quality is the verified one (builtin-actors
// actors/verifreg, actors/datacap; integration_tests
// verified_claim_test.rs, datacap_tests.rs, prove_commit2_test.rs).
var Verified = &scenario.Scenario{
	Name:    "verified",
	Summary: "verifier and client datacap, datacap transfers creating allocations, verified deals, claims",
	Run:     runVerified,
}

// dataCapPerByte: one byte of datacap is 10^18 token units (the datacap
// token's granularity, actors/datacap/src/lib.rs).
var dataCapPerByte = big.NewInt(1e18)

func datacapOf(bytes int64) abi.TokenAmount { return big.Mul(big.NewInt(bytes), dataCapPerByte) }

func runVerified(t *scenario.T) {
	alice, bob, carol, root := t.W.Accounts[Alice], t.W.Accounts[Bob], t.W.Accounts[Carol], t.W.Accounts[Root]
	f := factsFor(t.W.ActorsVersion)
	verifreg := scenario.ID(genesis.VerifregID)
	const gib = int64(1 << 30)

	t.Group("setup")
	m := createMiner(t, alice, carol, FIL(10_000))
	frank := newAccount(t, "frank", keys.BLS("verified/frank"), FIL(1_000))
	mid := m.id()

	t.Group("verifier")
	{
		p, err := t.V.AddVerifierParams(bob.Addr, big.NewInt(100*gib))
		t.Must(err, "params")
		t.Send("a non-root cannot add a verifier", scenario.Msg{From: alice, To: verifreg, Method: verifregAddVerifier, Params: p}).
			Expect(exitcode.ErrForbidden)
		t.Send("root key adds bob as verifier", scenario.Msg{From: root, To: verifreg, Method: verifregAddVerifier, Params: p}).OK()
		vs := verifregState(t)
		t.Equal("root key", vs.RootKey, scenario.ID(genesis.RootKeyID))
		t.EqualAmount("verifier allowance", vs.Verifiers[bob.ID], big.NewInt(100*gib))
	}

	t.Group("client")
	{
		p, err := t.V.AddVerifiedClientParams(frank.Addr, big.NewInt(64*gib))
		t.Must(err, "params")
		t.Send("bob makes frank a verified client", scenario.Msg{From: bob, To: verifreg, Method: verifregAddVerifiedClient, Params: p}).OK()
		vs := verifregState(t)
		t.EqualAmount("verifier allowance left", vs.Verifiers[bob.ID], big.NewInt(36*gib))
		if f.Datacap {
			dc := datacapState(t)
			t.EqualAmount("client datacap", amount(dc.Balances, frank.ID), datacapOf(64*gib))
			t.EqualAmount("datacap supply", dc.Supply, datacapOf(64*gib))
		} else {
			t.EqualAmount("client datacap (v8 registry table)", vs.VerifiedClients[frank.ID], big.NewInt(64*gib))
		}
		// A verifier cannot give more than its allowance.
		p, err = t.V.AddVerifiedClientParams(alice.Addr, big.NewInt(37*gib))
		t.Must(err, "params")
		t.Send("allowance above the verifier's", scenario.Msg{From: bob, To: verifreg, Method: verifregAddVerifiedClient, Params: p}).
			Expect(exitcode.ErrIllegalArgument)
	}

	var directAlloc uint64
	directPiece := pieceCID(t, "direct allocation")
	if f.Datacap {
		t.Group("allocation")
		// A datacap transfer to the registry with an allocation request
		// creates the allocation (FRC-46 receiver hook, FIP-0045).
		req := av.AllocationRequest{Provider: mid, Data: directPiece, Size: pieceSize16GiB,
			TermMin: 180 * epochsInDay, TermMax: 270 * epochsInDay, Expiration: t.Epoch() + 30*epochsInDay}
		method, p, err := t.V.DatacapTransfer(verifreg, datacapOf(16*gib), []av.AllocationRequest{req})
		t.Must(err, "transfer params")
		next := verifregState(t).NextAllocationID
		r := t.Send("frank transfers datacap to the registry for an allocation", scenario.Msg{From: frank,
			To: scenario.ID(genesis.DatacapID), Method: method, Params: p}).OK()
		allocs, err := t.V.DatacapTransferReturn(r.Return())
		t.Must(err, "transfer return")
		t.Equal("new allocations", allocs, []uint64{next})
		directAlloc = next
		vs := verifregState(t)
		a, ok := vs.Allocations[next]
		t.Check(ok, "no allocation %d", next)
		t.Equal("allocation", a, av.Allocation{Client: frank.ID, Provider: mid, Data: directPiece, Size: pieceSize16GiB,
			TermMin: req.TermMin, TermMax: req.TermMax, Expiration: req.Expiration})
		dc := datacapState(t)
		t.EqualAmount("client datacap", amount(dc.Balances, frank.ID), datacapOf(48*gib))
		t.EqualAmount("registry datacap", amount(dc.Balances, genesis.VerifregID), datacapOf(16*gib))
	}

	t.Group("verified-deal")
	addBalance(t, frank, frank.ID, FIL(10))
	addBalance(t, carol, mid, FIL(10))
	start := t.Epoch() + 400
	end := start + 200*epochsInDay
	dealPiece := pieceCID(t, "verified deal")
	d := av.DealProposal{PieceCID: dealPiece, PieceSize: pieceSize16GiB, VerifiedDeal: true, Client: frank.Addr,
		Provider: m.addr, Label: "verified", StartEpoch: start, EndEpoch: end, StoragePricePerEpoch: big.Zero(),
		ProviderCollateral: FIL(1), ClientCollateral: big.Zero()}
	p, err := t.V.PublishStorageDealsParams([]av.SignedDeal{signDeal(t, frank.Key, d)})
	t.Must(err, "publish params")
	r := t.Send("publish a verified deal signed by a BLS key", scenario.Msg{From: carol, To: scenario.ID(genesis.MarketID),
		Method: marketPublishStorageDeals, Params: p}).OK()
	ids, _, err := t.V.PublishStorageDealsReturn(r.Return())
	t.Must(err, "publish return")
	dealID := ids[0]
	var dealAlloc uint64
	if f.Datacap {
		// The market spends the client's datacap on an allocation for the
		// deal (actors/market/src/lib.rs publish_storage_deals @v9.0.3).
		ms := marketState(t)
		a, ok := ms.PendingAllocations[dealID]
		t.Check(ok, "no pending allocation for the verified deal")
		dealAlloc = a
		alloc := verifregState(t).Allocations[a]
		t.Equal("deal allocation client", alloc.Client, frank.ID)
		t.Equal("deal allocation data", alloc.Data, dealPiece)
		t.Equal("client datacap", amount(datacapState(t).Balances, frank.ID), datacapOf(32*gib))
	} else {
		// v8: the market uses the registry's bytes (UseBytes).
		t.EqualAmount("client datacap", verifregState(t).VerifiedClients[frank.ID], big.NewInt(48*gib))
	}

	t.Group("claim")
	const n = abi.SectorNumber(30)
	pcEpoch := t.Epoch()
	info := av.PreCommitInfo{SealProof: sealProof, SectorNumber: n, SealedCID: sealedCID(t, m.addr.String(), n),
		SealRandEpoch: pcEpoch - 1, Expiration: pcEpoch + 250*epochsInDay}
	legacy := !f.ProveCommitSectors3
	pieces := []abi.PieceInfo{{Size: pieceSize16GiB, PieceCID: dealPiece}}
	if legacy {
		info.DealIDs = []abi.DealID{dealID}
	} else {
		pieces = append(pieces, abi.PieceInfo{Size: pieceSize16GiB, PieceCID: directPiece})
		cd := commD(t, pieces)
		info.UnsealedCID = &cd
	}
	m.preCommit("pre-commit the verified sector", []av.PreCommitInfo{info}).OK()
	t.AdvanceTo(pcEpoch + preCommitChallengeDelay + 1)
	supplyBefore := big.Zero()
	if f.Datacap {
		supplyBefore = datacapState(t).Supply
	}
	if legacy {
		p, err := t.V.ProveCommitSectorParams(n, fakeProof(sealProofSize, "seal"))
		t.Must(err, "params")
		t.Send("ProveCommitSector with the verified deal", scenario.Msg{From: carol, To: m.addr, Method: minerProveCommitSector, Params: p}).OK()
		t.Advance(1)
	} else {
		m.proveCommitOne(n, []av.PieceActivation{
			{CID: dealPiece, Size: pieceSize16GiB, AllocationClient: frank.ID, AllocationID: dealAlloc,
				Notify: []av.Notification{{Address: scenario.ID(genesis.MarketID), Payload: dealIDPayload(dealID)}}},
			{CID: directPiece, Size: pieceSize16GiB, AllocationClient: frank.ID, AllocationID: directAlloc},
		})
	}
	s, ok := m.state().Sectors[n]
	t.Check(ok, "sector %d not active", n)
	duration := s.Expiration - s.Activation
	claimed := int64(16 * gib)
	if !legacy {
		claimed = 32 * gib
	}
	if f.Datacap {
		vs := verifregState(t)
		want := map[uint64]abi.ChainEpoch{dealAlloc: 0}
		if !legacy {
			want[directAlloc] = 0
		}
		for id := range want {
			_, still := vs.Allocations[id]
			t.Check(!still, "allocation %d not consumed", id)
			c, ok := vs.Claims[id] // a claim takes its allocation's id
			t.Check(ok, "no claim %d", id)
			t.Equal("claim provider", c.Provider, mid)
			t.Equal("claim client", c.Client, frank.ID)
			t.Equal("claim sector", c.Sector, n)
			t.Equal("claim term start", c.TermStart, s.Activation)
		}
		// Claimed datacap is burnt (verified_claim_test.rs).
		dc := datacapState(t)
		t.EqualAmount("datacap supply", dc.Supply, big.Sub(supplyBefore, datacapOf(claimed)))
		pending := int64(0)
		if legacy {
			pending = 16 * gib // the direct allocation, unclaimable before FIP-0076
		}
		t.EqualAmount("registry datacap", amount(dc.Balances, genesis.VerifregID), datacapOf(pending))
		// Verified weight is the verified space times the sector's life.
		t.EqualAmount("sector verified weight", s.VerifiedDealWeight, big.Mul(big.NewInt(claimed), big.NewInt(int64(duration))))
		t.EqualAmount("sector deal weight", s.DealWeight, big.Zero())
	} else {
		t.Check(s.VerifiedDealWeight.Sign() > 0, "no verified deal weight")
	}
	ds := marketState(t).States[dealID]
	t.Equal("deal sector start", ds.SectorStartEpoch, s.Activation)
	if t.W.ActorsVersion >= 9 && t.W.ActorsVersion <= 12 {
		t.Equal("deal verified claim", ds.VerifiedClaim, dealAlloc)
	}
	// Quality: verified space counts ten times.
	qa := qaPower(32<<30, duration, s.DealWeight, s.VerifiedDealWeight)
	want := big.Add(big.NewInt(32<<30-claimed), big.Mul(big.NewInt(claimed), big.NewInt(10)))
	if f.Datacap {
		t.EqualAmount("sector QA power", qa, want)
	}
}
