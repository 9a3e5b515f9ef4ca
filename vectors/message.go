package vectors

import (
	"fmt"

	"github.com/filecoin-project/go-address"

	"github.com/gofvm/gofvm/kernel"
)

// Message is the unsigned message a vector carries: the kernel's CBOR
// 10-tuple [version, to, from, nonce, value, gas_limit, gas_fee_cap,
// gas_premium, method, params] (fvm-abi.md §8.8).
type Message = kernel.Message

// secpSignatureOverhead is what a secp256k1 signature adds to a signed
// message on chain: a 65-byte signature, 1 type byte and 3 bytes of CBOR
// framing. ref-fvm's conformance runner adds exactly this, and only for secp
// senders (release/v3 testing/conformance/src/driver.rs, SECP_SIG_LEN + 4;
// conformance.md §1.5) — Lotus would also count it for delegated (f4)
// senders at nv18 (fvm-abi.md §7.1), but no public vector has one.
const secpSignatureOverhead = 65 + 4

// ChainLength is the message length the executor charges inclusion gas on
// (fvm-abi.md §7.1 step 2), as the reference runner computes it from the
// vector's unsigned bytes: the signed length for secp senders, the unsigned
// length otherwise.
func ChainLength(m *Message, unsignedLen int) int {
	if m.From.Protocol() == address.SECP256K1 {
		return unsignedLen + secpSignatureOverhead
	}
	return unsignedLen
}

// DecodeMessage decodes the CBOR bytes of one apply-message; malformed input
// and trailing bytes are errors, as for ref-fvm's strict decoder.
func DecodeMessage(b []byte) (*Message, error) {
	m, err := kernel.DecodeMessage(b)
	if err != nil {
		return nil, fmt.Errorf("decoding message: %w", err)
	}
	return m, nil
}
