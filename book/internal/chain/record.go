package chain

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/network"
	"github.com/ipfs/go-cid"

	"github.com/gofvm/gofvm/kernel"
)

// Record is one explicit message with everything a test vector needs to
// replay it: the machine parameters, the pre-state root, the message and its
// chain length, the digests it drew, and what it produced.
type Record struct {
	// Label names the step ("scenario/group/step").
	Label          string
	Epoch          abi.ChainEpoch
	NetworkVersion network.Version
	BaseFee        abi.TokenAmount
	CircSupply     abi.TokenAmount
	PreRoot        cid.Cid
	PostRoot       cid.Cid
	Message        []byte
	ChainLength    int
	Receipt        kernel.Receipt
	Randomness     []Draw
}
