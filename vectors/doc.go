// Package vectors runs FVM test vectors: the schema, loading the CAR and the
// bundles, externs built from vector data, running the message, comparing the
// receipt and the post-state root, and readable state diffs on a mismatch.
//
// The flow is: Parse (or LoadFile) checks a vector and hash-verifies its
// CAR; Bundles supply the actor code the CARs lack (conformance.md §1.6);
// Vector.NewRun builds the Run a Driver applies; RunOne and RunAll compare
// the Driver's Result with the vector (exit code, return bytes, gas used,
// post-state root) and explain a wrong root actor by actor, blocks rendered
// as DAG-JSON. The Driver is the only seam to the kernel: DefaultDriver is
// set by the package that links one in.
//
// Vectors expected to fail are listed in expected_failures.txt; one that
// passes fails the run, so the list only shrinks.
//
// The tests run the public corpus when GOFVM_CONFORMANCE names a directory
// holding vectors/ and bundles/ (see corpus_test.go); the library itself
// reads no environment variable.
package vectors
