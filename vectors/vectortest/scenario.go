package vectortest

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/big"

	"github.com/filecoin-project/go-address"
	fbig "github.com/filecoin-project/go-state-types/big"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/vectors"
)

// Scenario is a complete small vector: a value transfer between two
// accounts on a StateRoot v4 (nv17) or v5 (nv18) state with a system actor
// naming a fake bundle, an init actor resolving the sender's key address,
// and the burnt-funds actor. Its post-state is an arbitrary but plausible
// change (nonce, balances), enough to test the runner and its diffs.
type Scenario struct {
	Bundle     *Bundle
	State      *Builder // every pre- and post-state block, and the manifest data
	Sender     address.Address
	SenderID   uint64
	Receiver   address.Address
	PreActors  []Actor
	PostActors []Actor
	Pre, Post  cid.Cid
	Message    vectors.Message
	MsgBytes   []byte
	Vector     Vector
}

// Scenario ids (fvm-abi.md §8.6 for the singletons).
const (
	SystemID     = 0
	InitID       = 1
	BurntFundsID = 99
	SenderID     = 100
	ReceiverID   = 101
)

// NewScenario builds the scenario. senderProtocol picks the sender's
// address kind: address.ID, address.SECP256K1 or address.BLS (the last two
// are resolved through the init actor).
func NewScenario(nv uint, senderProtocol address.Protocol) (*Scenario, error) {
	version := uint64(4)
	salt := "v9"
	names := []string{"system", "init", "cron", "account"}
	if nv >= 18 {
		version, salt = 5, "v10"
		names = append(names, "placeholder", "eam", "ethaccount")
	}
	s := &Scenario{Bundle: NewBundle(salt, names...), State: New(), SenderID: SenderID}
	s.Receiver, _ = address.NewIDAddress(ReceiverID)
	seed := sha256.Sum256([]byte("gofvm vectortest sender"))
	switch senderProtocol {
	case address.ID:
		s.Sender, _ = address.NewIDAddress(SenderID)
	case address.SECP256K1:
		pub := append([]byte{4}, bytes.Repeat(seed[:], 2)...) // 65 bytes; never verified
		s.Sender, _ = address.NewSecp256k1Address(pub)
	case address.BLS:
		s.Sender, _ = address.NewBLSAddress(append(seed[:], seed[:16]...))
	default:
		return nil, fmt.Errorf("vectortest: sender protocol %d not supported", senderProtocol)
	}

	// The manifest data block is in every real vector CAR (conformance.md §1.6).
	data, _ := s.Bundle.Raw(s.Bundle.Data)
	s.State.Put(DagCBOR, data)
	systemHead := s.State.Tuple(s.Bundle.Data)
	addrs := map[address.Address]uint64{}
	if senderProtocol != address.ID {
		addrs[s.Sender] = SenderID
	}
	initHead, err := s.State.InitState(addrs, ReceiverID+1, "gofvm-test")
	if err != nil {
		return nil, err
	}
	account := s.Bundle.Codes["account"]
	empty := s.State.EmptyArray()
	s.PreActors = []Actor{
		{ID: SystemID, Code: s.Bundle.Codes["system"], Head: systemHead},
		{ID: InitID, Code: s.Bundle.Codes["init"], Head: initHead},
		{ID: BurntFundsID, Code: account, Head: s.State.Tuple(address.Undef.Bytes()), Balance: 1_000},
		{ID: SenderID, Code: account, Head: s.State.Tuple(s.Sender.Bytes()), Nonce: 7, Balance: 1_000_000_000},
		{ID: ReceiverID, Code: account, Head: empty, Balance: 5},
	}
	if s.Pre, err = s.State.StateTree(version, s.PreActors); err != nil {
		return nil, err
	}
	s.PostActors = append([]Actor(nil), s.PreActors...)
	s.PostActors[2].Balance += 220_196 * 100        // base fee burn
	s.PostActors[3].Nonce++                         // the message's nonce
	s.PostActors[3].Balance -= 220_196*100 + 12_345 // burn plus value
	s.PostActors[4].Balance += 12_345
	if s.Post, err = s.State.StateTree(version, s.PostActors); err != nil {
		return nil, err
	}

	s.Message = vectors.Message{
		To: s.Receiver, From: s.Sender, Nonce: 7, Value: fbig.NewInt(12_345),
		GasLimit: 1_000_000, GasFeeCap: fbig.NewInt(200), GasPremium: fbig.NewInt(100),
	}
	var buf bytes.Buffer
	if err := s.Message.MarshalCBOR(&buf); err != nil {
		return nil, err
	}
	s.MsgBytes = buf.Bytes()
	epoch := int64(2_679_000)
	if nv >= 18 {
		epoch = 2_797_000
	}
	circ, _ := new(big.Int).SetString("464086652283863744667971485", 10)
	s.Vector = Vector{
		ID: fmt.Sprintf("vectortest-nv%d-%s", nv, protocolName(senderProtocol)), Epoch: epoch, NV: nv,
		BaseFee: big.NewInt(100), CircSupply: circ,
		Pre: s.Pre, Post: s.Post, CAR: s.State.CAR(s.Pre, s.Post), Message: s.MsgBytes,
		Receipt: Receipt{ExitCode: 0, GasUsed: 220_196},
	}
	return s, nil
}

func protocolName(p address.Protocol) string {
	switch p {
	case address.ID:
		return "id"
	case address.SECP256K1:
		return "secp"
	case address.BLS:
		return "bls"
	}
	return fmt.Sprint(p)
}

// StateWith builds another state tree of the scenario's version from
// actors, into a fresh builder (whose blocks a fake driver can write), and
// returns its root.
func (s *Scenario) StateWith(actors []Actor) (cid.Cid, *Builder, error) {
	b := New()
	version := uint64(4)
	if s.Vector.NV >= 18 {
		version = 5
	}
	root, err := b.StateTree(version, actors)
	return root, b, err
}

// Blocks returns every block of the builder, in CID order.
func (b *Builder) Blocks() []blocks.Block {
	var out []blocks.Block
	for _, c := range b.CIDs() {
		blk, _ := blocks.NewBlockWithCid(b.blocks[c], c)
		out = append(out, blk)
	}
	return out
}
