// Package vectors runs FVM test vectors: the schema, loading the CAR and the
// bundles, externs built from vector data, running the message, comparing the
// receipt and the post-state root, and readable state diffs on a mismatch.
package vectors
