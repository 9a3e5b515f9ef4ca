// Command fvmcheck runs FVM test vectors against gofvm and says, for each
// vector, pass or fail and why.
//
// Usage:
//
//	fvmcheck run [flags] [PATH... | -]
//	fvmcheck trace [flags] VECTOR
//	fvmcheck actors --bundles PATH ...
//	fvmcheck version
//	fvmcheck help
//
// Flags may come before or after the paths (`fvmcheck run DIR --bundles B`
// is `fvmcheck run --bundles B DIR`); "--" ends the flags. A path named on
// the command line that does not exist is an input error (exit 2) on every
// command, reported as "fvmcheck CMD: PATH: cause" before anything runs.
//
// Every command that applies messages (run, trace) does so with a proof
// verifier that accepts every seal, PoSt and aggregate proof, like
// ref-fvm's conformance runner, and says so on stderr before it starts:
//
//	fvmcheck run: note: proofs are not verified: every seal, PoSt and aggregate proof is taken as valid
//
// An interrupt (Ctrl-C) stops starting new work; what is still running
// finishes unreported, one line on stderr says what had finished, and the
// exit code is 130. A second interrupt ends the process at once.
//
// # fvmcheck run
//
// Each PATH is a vector file or a directory walked recursively for *.json
// files; "-" reads more PATHs from stdin, one per line. With no PATH, fvmcheck runs the default suite embedded in the
// binary (vectors/suite: vectors generated from gofvm's own test actors,
// whose bundles are built from the committed test-actor wasm, so no --bundles
// is needed); were
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
//	--engine ENGINE       compiler (default) or interpreter; the interpreter
//	                      takes about 35 times the compiler's CPU time (the
//	                      public corpus's miner vectors), a check on the
//	                      compiler rather than a way to run
//	--cache DIR           compilation cache (default: <user cache dir>/gofvm;
//	                      "" for none). Made if missing; one that cannot be
//	                      used is a usage error before anything runs
//	--json                one JSON object per vector on stdout
//	-v                    also list passing vectors
//
// Output: a line per failing (FAIL) or skipped (SKIP) vector with its reason,
// followed by the indented details (receipt fields, then the state diff:
// sender, receiver and system actors field by field, then every differing
// actors-HAMT entry, blocks rendered as DAG-JSON). Lines come in path order.
// A progress bar is drawn on stderr when stderr is a terminal, and the wall
// time and peak memory are said there at the end. stdout ends with exactly
//
//	N passed, M failed, K skipped
//
// so it is the same for every run of the same vectors. With --json, stdout
// holds only the JSON objects (fields path, id, status, reason, detail,
// expected_failure, want, got; want and got are {exit_code, return
// (base64; "" when empty on either side), gas_used, post_root}) and the
// summary goes to stderr.
//
// Vectors listed in vectors/expected_failures.txt are still run: a failure
// counts as skipped, a pass is a failure ("unexpected pass: remove it from
// the list"), so the list only shrinks.
//
// Exit codes:
//
//	0    every vector passed or was skipped (or the demo ran)
//	1    at least one vector failed: a mismatch, a driver error, or a vector
//	     that could not be loaded (unreadable file, bad JSON, a CAR that does
//	     not hash-verify, actor code in no given bundle, no kernel linked)
//	2    usage or input error: unknown subcommand or flag, bad flag value,
//	     a PATH or --bundles path that does not exist, bundles that cannot
//	     be loaded, an unusable --cache, no vector to run
//	130  interrupted
//
// # fvmcheck actors
//
//	fvmcheck actors --bundles PATH [--bundles PATH ...] [--nv N] [--engine E] [--cache DIR]
//
// Loads the bundles as run does (a CAR, a lotus .tar.zst, or a directory
// searched recursively; repeatable), then instruments and compiles every
// actor of every manifest for the FVM line whose syscall ABI the bundle's
// modules import: vm.abort means the v2 ABI (nv16–17), the two-argument
// event.emit_event the v3 ABI (nv18–20), the six-argument one, randomness
// by epoch alone or self_destruct with a burn flag the v4 ABI (nv21–28).
// A bundle that imports none of these is compiled for the oldest line that
// fits, and its header says so; --nv N compiles every bundle for N's line
// instead. For each bundle a header line (source, manifest CID, ABI,
// network versions, how the line was chosen, number of actors), then one
// row per actor: manifest name, code CID, wasm bytes, instrumented bytes
// and load time in ms (instrumentation plus compilation; near 0 when
// --cache already holds the module). Then a line with the number of
// manifest entries, of distinct code CIDs and the time taken, and last,
// exactly
//
//	N actors compiled
//
// where N counts distinct code CIDs (159 for the eleven mainnet bundles
// v8–v18, whose 167 entries share the placeholder). A module that fails
// shows FAILED and its error under its row, then "M actors failed to
// compile". --engine and --cache are as for run.
//
// Exit codes: 0 every actor compiled; 1 at least one failed to instrument or
// compile; 2 usage or input error (no --bundles, a bundle that cannot be
// loaded, a bad flag).
//
// # fvmcheck trace
//
//	fvmcheck trace [flags] VECTOR
//
// Runs the vector's message with tracing hooks (package tracing) and
// writes its trace on stdout. VECTOR is a file, or a path of the embedded
// suite such as suite/nv17/nested-send.json (run on the suite's bundles).
// Tracing changes nothing the vector checks, and traces hold no timing, so
// the same vector always gives the same bytes.
//
// Flags:
//
//	--format lotus        (default) the Lotus-shaped ExecutionTrace as indented
//	                      JSON: Msg, MsgRct, InvokedActor, GasCharges (whole gas,
//	                      each charge rounded up; tt always 0), Subcalls,
//	                      IpldOps, Logs
//	--format events       the raw event stream, one JSON object per line:
//	                      {"type": "Call", "event": {...}}; MessageStart and
//	                      MessageEnd bracket it, gas in milligas
//	--flame FILE.svg      also write the gas flame graph: the message on top,
//	                      below each call its own charges (blue, by name) and its
//	                      subcalls (warm colours, labelled with the address, the
//	                      manifest name of the invoked code, the method number
//	                      and the gas), then a table of every call
//	-o FILE               write the trace to FILE instead of stdout
//	--bundles, --reachability, --engine, --cache   as for run
//
// On stderr, the verdict as run prints it: "PASS VECTOR", or FAIL (or SKIP
// for an expected failure) with the reason and details.
//
// Exit codes: 0 the vector passed (or failed as expected) and the trace was
// written; 1 the vector failed (a mismatch, or a vector that does not
// parse or load: then there is no trace), or the trace could not be
// written (a mismatch still writes it); 2 usage or input error (not exactly
// one VECTOR, a bad flag value, a VECTOR path that does not exist, bundles
// that cannot be loaded, an unusable --cache); 130 interrupted.
//
// # fvmcheck version
//
// Prints the gofvm module and its version ("(devel)" when built from a
// checkout, the tag when installed with go install …@vX, and the commit
// when the build recorded one), the Go toolchain that built it, and the
// network versions of the rules table (package rules, Supported):
//
//	fvmcheck (devel)
//	module:           github.com/gofvm/gofvm (devel)
//	go:               go1.26.8 linux/amd64
//	network versions: nv16 nv17 … nv28
package main
