// Package blocks owns the IPLD blocks an actor invocation works with: the
// per-invocation block registry (ids from 1, 0 = none) and the buffered
// blockstore over go-datastore whose Flush writes only what a new state root
// reaches (fvm-abi.md §4). It knows nothing about actors or wasm.
package blocks
