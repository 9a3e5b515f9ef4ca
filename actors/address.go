package actors

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/filecoin-project/go-address"
)

// NewActorAddressV2 is v2's new_actor_address (fvm-abi.md §6.7): f2 of
// blake2b-160(CBOR(origin key address) ‖ nonce BE ‖ counter BE). originKey
// must be the message sender resolved to its key (f1/f3) address; the
// counter counts new_actor_address calls in the message, from 0.
func NewActorAddressV2(originKey address.Address, nonce, counter uint64) (address.Address, error) {
	if p := originKey.Protocol(); p != address.SECP256K1 && p != address.BLS {
		return address.Undef, fmt.Errorf("actors: v2 origin must be a key address, got %s", originKey)
	}
	return actorAddress(originKey, nonce, counter)
}

// NextActorAddressV3 is v3's next_actor_address: the same formula over
// msg.from exactly as written (any protocol, no resolution) and the number
// of actors created so far in the message.
func NextActorAddressV3(from address.Address, nonce, numActorsCreated uint64) (address.Address, error) {
	if from == address.Undef {
		return address.Undef, fmt.Errorf("actors: undefined origin address")
	}
	return actorAddress(from, nonce, numActorsCreated)
}

func actorAddress(origin address.Address, nonce, counter uint64) (address.Address, error) {
	var buf bytes.Buffer
	if err := origin.MarshalCBOR(&buf); err != nil {
		return address.Undef, err
	}
	var be [16]byte
	binary.BigEndian.PutUint64(be[:8], nonce)
	binary.BigEndian.PutUint64(be[8:], counter)
	buf.Write(be[:])
	return address.NewActorAddress(buf.Bytes())
}
