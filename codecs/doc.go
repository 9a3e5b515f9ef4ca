// Package codecs owns the IPLD codec table (DAG-CBOR 0x71, CBOR 0x51, raw
// 0x55, identity), the codecs each network version allows into a block
// registry, the DAG-CBOR link scanner and the CID shapes block_link may
// produce (fvm-abi.md §4.2–§4.3).
package codecs
