package vectors

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/filecoin-project/test-vectors/schema"
	blocks "github.com/ipfs/go-block-format"
	"github.com/ipfs/go-cid"
)

// Defaults the reference runner uses when a vector leaves a field out
// (ref-fvm release/v3 testing/conformance/src/vm.rs: DEFAULT_BASE_FEE and
// TOTAL_FILECOIN).
var (
	DefaultBaseFee    = big.NewInt(100)
	DefaultCircSupply = new(big.Int).Mul(big.NewInt(2_000_000_000), new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil))
)

// MainnetChainID is the chain id the machine gets (fvm-abi.md §8.1).
const MainnetChainID = 314

// secondsPerEpoch turns an epoch into the machine timestamp the reference
// runner uses (conformance.md §1.5: timestamp = epoch × 30).
const secondsPerEpoch = 30

// Vector is one loaded message-class test vector: the schema plus every
// field decoded and checked, ready to become a Run.
type Vector struct {
	ID     string
	Schema *schema.TestVector

	Roots    []cid.Cid      // the CAR's roots
	Blocks   []blocks.Block // every CAR block, hash-verified
	PreRoot  cid.Cid
	PostRoot cid.Cid

	Epoch          int64
	NetworkVersion uint
	BaseFee        *big.Int
	CircSupply     *big.Int

	MessageBytes []byte
	Message      *Message
	ChainLength  int
	Randomness   *Randomness
	Receipt      schema.Receipt
}

// LoadError is a vector that could not be loaded. Stage names the step
// ("read", "json", "schema", "car", "message", "randomness").
type LoadError struct {
	Stage string
	Err   error
}

// Error names the stage once: an inner error that already begins with it
// (encoding/json's own errors begin "json: ") is not prefixed again.
func (e *LoadError) Error() string {
	msg := e.Err.Error()
	if strings.HasPrefix(msg, e.Stage+": ") {
		return msg
	}
	return e.Stage + ": " + msg
}
func (e *LoadError) Unwrap() error { return e.Err }

func loadErr(stage string, err error) error { return &LoadError{Stage: stage, Err: err} }

// LoadFile reads and parses one vector file.
func LoadFile(path string) (*Vector, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, loadErr("read", err)
	}
	return Parse(data)
}

// Parse decodes and checks one vector. Only the shape of the public corpus
// is accepted (conformance.md §1.1): class "message", one variant, one
// apply-message, one receipt, and a CAR holding the pre-state root.
func Parse(data []byte) (*Vector, error) {
	tv, err := decodeSchema(data)
	if err != nil {
		return nil, err
	}
	v := &Vector{Schema: tv}
	if tv.Meta != nil {
		v.ID = tv.Meta.ID
	}
	if err := v.checkShape(); err != nil {
		return nil, loadErr("schema", err)
	}

	roots, blks, err := DecodeGzipCAR(tv.CAR)
	if err != nil {
		return nil, loadErr("car", err)
	}
	v.Roots, v.Blocks = roots, blks
	if !v.hasBlock(v.PreRoot) {
		return nil, loadErr("car", fmt.Errorf("pre-state root %s is not in the CAR", v.PreRoot))
	}

	v.MessageBytes = tv.ApplyMessages[0].Bytes
	if v.Message, err = DecodeMessage(v.MessageBytes); err != nil {
		return nil, loadErr("message", err)
	}
	v.ChainLength = ChainLength(v.Message, len(v.MessageBytes))

	if v.Randomness, err = NewRandomness(tv.Randomness); err != nil {
		return nil, loadErr("randomness", err)
	}
	return v, nil
}

// decodeSchema decodes the vector's JSON. The base64 `car` member, nearly
// all of the input, is cut out and decoded straight from the input bytes
// (cutTopLevelString); encoding/json decodes the rest. Input of any other
// shape goes to encoding/json whole, which reports what is wrong with it.
func decodeSchema(data []byte) (*schema.TestVector, error) {
	b64, rest, cut := cutTopLevelString(data, "car")
	if !cut {
		rest = data
	}
	tv, err := decodeWhole(rest)
	if err != nil {
		return nil, err
	}
	if cut {
		if len(tv.CAR) != 0 {
			// A second "car" member: let encoding/json pick, as before.
			return decodeWhole(data)
		}
		if len(b64) > 0 {
			car := make([]byte, base64.StdEncoding.DecodedLen(len(b64)))
			n, err := base64.StdEncoding.Decode(car, b64)
			if err != nil {
				return nil, loadErr("json", err)
			}
			tv.CAR = car[:n]
		}
	}
	return tv, nil
}

// decodeWhole is encoding/json's decoding of the whole input.
func decodeWhole(data []byte) (*schema.TestVector, error) {
	var tv schema.TestVector
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&tv); err != nil {
		return nil, loadErr("json", err)
	}
	if dec.More() {
		return nil, loadErr("json", errors.New("trailing data after the vector object"))
	}
	return &tv, nil
}

func (v *Vector) checkShape() error {
	tv := v.Schema
	if tv.Class != schema.ClassMessage {
		return fmt.Errorf("class %q: only %q vectors are supported", tv.Class, schema.ClassMessage)
	}
	if tv.Pre == nil || tv.Post == nil {
		return errors.New("missing preconditions or postconditions")
	}
	if len(tv.Pre.Variants) != 1 {
		return fmt.Errorf("%d variants, want exactly 1", len(tv.Pre.Variants))
	}
	if len(tv.ApplyMessages) != 1 {
		return fmt.Errorf("%d apply_messages, want exactly 1", len(tv.ApplyMessages))
	}
	if len(tv.Post.Receipts) != 1 || tv.Post.Receipts[0] == nil {
		return fmt.Errorf("%d receipts, want exactly 1", len(tv.Post.Receipts))
	}
	if tv.ApplyMessages[0].EpochOffset != nil && *tv.ApplyMessages[0].EpochOffset != 0 {
		return fmt.Errorf("apply_messages[0].epoch_offset %d is not supported", *tv.ApplyMessages[0].EpochOffset)
	}
	if tv.Pre.StateTree == nil || !tv.Pre.StateTree.RootCID.Defined() {
		return errors.New("missing preconditions.state_tree.root_cid")
	}
	if tv.Post.StateTree == nil || !tv.Post.StateTree.RootCID.Defined() {
		return errors.New("missing postconditions.state_tree.root_cid")
	}
	if len(tv.CAR) == 0 {
		return errors.New("missing car")
	}
	variant := tv.Pre.Variants[0]
	if variant.Epoch < 0 || variant.Epoch > 1<<58 {
		return fmt.Errorf("variant epoch %d out of range", variant.Epoch)
	}
	v.Epoch, v.NetworkVersion = variant.Epoch, variant.NetworkVersion
	v.PreRoot, v.PostRoot = tv.Pre.StateTree.RootCID, tv.Post.StateTree.RootCID
	v.BaseFee, v.CircSupply = DefaultBaseFee, DefaultCircSupply
	if tv.Pre.BaseFee != nil {
		if tv.Pre.BaseFee.Sign() < 0 {
			return errors.New("negative basefee")
		}
		v.BaseFee = tv.Pre.BaseFee
	}
	if tv.Pre.CircSupply != nil {
		if tv.Pre.CircSupply.Sign() < 0 {
			return errors.New("negative circ_supply")
		}
		v.CircSupply = tv.Pre.CircSupply
	}
	v.Receipt = *tv.Post.Receipts[0]
	return nil
}

func (v *Vector) hasBlock(c cid.Cid) bool {
	for _, b := range v.Blocks {
		if b.Cid().Equals(c) {
			return true
		}
	}
	return false
}

// NewRun builds the driver's input: a fresh blockstore holding the CAR
// blocks over base (the bundles; may be nil), and the machine parameters.
func (v *Vector) NewRun(base Blockstore, reach Reachability, engine Engine) *Run {
	top := NewMemBlockstore()
	for _, b := range v.Blocks {
		top.blocks[b.Cid()] = b
	}
	return &Run{
		VectorID:       v.ID,
		Blockstore:     &overlay{top: top, below: base},
		PreRoot:        v.PreRoot,
		Epoch:          v.Epoch,
		NetworkVersion: v.NetworkVersion,
		BaseFee:        new(big.Int).Set(v.BaseFee),
		CircSupply:     new(big.Int).Set(v.CircSupply),
		Timestamp:      uint64(v.Epoch) * secondsPerEpoch,
		ChainID:        MainnetChainID,
		MessageBytes:   bytes.Clone(v.MessageBytes),
		Message:        v.Message,
		ChainLength:    v.ChainLength,
		Randomness:     v.Randomness,
		Reachability:   reach,
		Engine:         engine,
	}
}
