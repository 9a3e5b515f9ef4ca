// Command fvmcheck runs FVM test vectors against gofvm and says, for each
// vector, pass or fail and why.
//
// Usage:
//
//	fvmcheck run [flags] [PATH...]
//	fvmcheck actors --bundles PATH ...
//	fvmcheck trace [flags] VECTOR
//	fvmcheck help
//
// # fvmcheck run
//
// Each PATH is a vector file or a directory walked recursively for *.json
// files. With no PATH, fvmcheck runs the default suite embedded in the
// binary (vectors/suite: vectors generated from gofvm's own test actors,
// whose bundles are embedded beside them, so no --bundles is needed); were
// that suite empty it would run a short built-in demonstration instead.
//
// Flags:
//
//	--bundles PATH        builtin-actors bundles: a CAR, a lotus .tar.zst, or a
//	                      directory searched recursively for them. Repeatable.
//	                      The vectors' CARs hold no actor code, so real vectors
//	                      need the mainnet bundle of their network version
//	                      (v9 for nv17, v10 for nv18).
//	-run REGEXP           run only the vectors whose path matches REGEXP
//	-j N                  vectors run at once (default: the number of CPUs);
//	                      results and output are the same for any N
//	--reachability MODE   strict (default) or compat
//	--engine ENGINE       compiler (default) or interpreter
//	--cache DIR           compilation cache (default: <user cache dir>/gofvm)
//	--json                one JSON object per vector on stdout
//	-v                    also list passing vectors
//
// Output: a line per failing (FAIL) or skipped (SKIP) vector with its reason,
// followed by the indented details (receipt fields, then the state diff:
// sender, receiver and system actors field by field, then every differing
// actors-HAMT entry, blocks rendered as DAG-JSON). Lines come in path order.
// A progress bar is drawn on stderr when stderr is a terminal. Then a
// summary with the wall time and the peak memory, whose last line is exactly
//
//	N passed, M failed, K skipped
//
// With --json, stdout holds only the JSON objects (fields path, id, status,
// reason, detail, expected_failure, want, got) and the summary goes to
// stderr.
//
// Vectors listed in vectors/expected_failures.txt are still run: a failure
// counts as skipped, a pass is a failure ("unexpected pass: remove it from
// the list"), so the list only shrinks. Proofs are not verified: like
// ref-fvm's conformance runner, the vector driver trusts every seal and PoSt.
//
// Exit codes:
//
//	0  every vector passed or was skipped (or the demo ran)
//	1  at least one vector failed: a mismatch, a driver error, or a vector
//	   that could not be loaded (unreadable file, bad JSON, a CAR that does
//	   not hash-verify, actor code in no given bundle, no kernel linked)
//	2  usage or input error: unknown subcommand or flag, bad flag value,
//	   bundles that cannot be loaded, no vector to run, a subcommand not
//	   implemented yet
//
// # fvmcheck actors, fvmcheck trace
//
// Not implemented yet; they parse their flags and exit with status 2.
package main
