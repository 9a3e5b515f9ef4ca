// Command fvmcheck runs FVM test vectors against gofvm and says, for each
// vector, pass or fail and why.
//
// Usage:
//
//	fvmcheck run [flags] [PATH... | -]
//	fvmcheck trace [flags] VECTOR
//	fvmcheck actors --bundles PATH ...
//	fvmcheck replay --rpc URL [flags] (MSG_CID | --tipset H)
//	fvmcheck validate --rpc URL --from H --to H2 [flags]
//	fvmcheck book --bundles DIR [flags]
//	fvmcheck version
//	fvmcheck help
//
// Flags may come before or after the paths (`fvmcheck run DIR --bundles B`
// is `fvmcheck run --bundles B DIR`); "--" ends the flags. A path named on
// the command line that does not exist is an input error (exit 2) on every
// command, reported as "fvmcheck CMD: PATH: cause" before anything runs.
//
// Every command that applies messages (run, trace, replay, validate, book)
// does so with a proof verifier that accepts every seal, PoSt and aggregate
// proof, like ref-fvm's conformance runner, and says so on stderr before it
// starts:
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
// files; "-" reads more PATHs from stdin, one per line. With no PATH,
// fvmcheck runs the default suite embedded in the binary (vectors/suite:
// vectors generated from gofvm's own test actors, whose bundles are built
// from the committed test-actor wasm, so no --bundles is needed); were that
// suite empty it would run a short built-in demonstration instead.
//
// Flags:
//
//	--bundles PATH        builtin-actors bundles: a CAR, a lotus .tar.zst, or a
//	                      directory searched recursively for them. Repeatable.
//	                      A file is loaded at once; a directory is indexed,
//	                      and each bundle in it loaded when a vector first
//	                      needs it (the manifest its system actor names).
//	                      The vectors' CARs hold no actor code, so real vectors
//	                      need the mainnet bundle of their network version
//	                      (v9 for nv17, v10 for nv18).
//	-run REGEXP           run only the vectors whose path matches REGEXP
//	-j N                  vectors run at once (default: the number of CPUs);
//	                      results and output are the same for any N
//	--reachability MODE   strict (default) or compat, for vectors of nv16–20;
//	                      from nv21 FIP-0071 is consensus and the flag has
//	                      no effect
//	--engine ENGINE       compiler (default) or interpreter; the interpreter
//	                      takes about 35 times the compiler's CPU time (the
//	                      public corpus's miner vectors), a check on the
//	                      compiler rather than a way to run
//	--cache DIR           compilation cache (default: <user cache dir>/gofvm;
//	                      "" for none). Made if missing; one that cannot be
//	                      used is a usage error before anything runs
//	--json                one JSON object per vector on stdout
//	-v                    also list passing vectors
//	--cpuprofile FILE     write a Go CPU profile of the run to FILE (go tool
//	                      pprof FILE); run, trace and replay take it
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
// expected_failure, want, got, timing; want and got are {exit_code, return
// (base64; "" when empty on either side), gas_used, post_root}; timing is
// {parse_ms, apply_ms, cpu_ms}: loading and checking the vector, applying
// its message, and the CPU time of the thread that ran it, the one part of
// the output that differs between runs) and the summary goes to stderr.
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
//	--flame FILE.svg      also write the gas flame graph: a self-contained SVG
//	                      (inline script and style, nothing fetched) in the
//	                      manner of flamegraph.pl, drawn top-down. Calls are
//	                      merged by (actor, method) under each caller and
//	                      labelled with the manifest name, the method, the
//	                      number of calls and the share of the message's gas
//	                      ("verifiedregistry m9 ×50 46.2%"); each call's own
//	                      charges are blue frames below it. Hover for the
//	                      figures, click to zoom, Ctrl-F to search (open it
//	                      with ?s=REGEXP or ?z=REGEXP to search or zoom at
//	                      once). Under it, the calls by actor and method and
//	                      the charges by name, most gas first, with shares
//	--pprof FILE          also write the same profile in pprof's format (gzipped
//	                      protobuf; go tool pprof, speedscope, Pyroscope): one
//	                      sample type "gas", stacks of actor methods with the
//	                      charge names as leaves, so `go tool pprof -top FILE`
//	                      lists charges by flat gas and actor methods by cum
//	--folded FILE         also write it as folded stacks ("a m1;b m2;wasm_exec
//	                      123" per line: flamegraph.pl, inferno, speedscope)
//	-o FILE               write the trace to FILE instead of stdout
//	--bundles, --reachability, --engine, --cache, --cpuprofile   as for run
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
// # fvmcheck replay
//
//	fvmcheck replay --rpc URL [flags] MSG_CID
//	fvmcheck replay --rpc URL [flags] --tipset H
//
// Replays history from a Lotus JSON-RPC endpoint (package chain, chain.md
// §3.5). With MSG_CID (the chain CID: the signed CID of a secp message), the
// tipset the message was applied in is re-executed up to and including it
// (null-round crons, migrations, every earlier message and reward first) and
// its receipt is compared with the chain's, field by field. With --tipset H,
// the whole tipset at H is applied and its state root, receipts root,
// receipts and the next base fee are compared with the header of the tipset
// that executes it. On stderr: the tipset, network version, base fee and
// circulating supply, migrations, gofvm's and the chain's receipt (or
// roots), one "MISMATCH …" line per difference with the receipt diffs, or
// MATCH, then the number of RPC calls made.
//
// Flags:
//
//	--rpc URL             the endpoint (…/rpc/v1); "" works from the cache alone
//	--token T             sent as Authorization: Bearer T
//	--cache DIR           the verified block cache (LevelDB; default under the
//	                      user cache directory); blocks are hashed against their
//	                      CIDs before use and never stored unverified
//	--bundles PATH        builtin-actors bundles (actor code, migrations)
//	--network NAME        mainnet (upgrade schedule, drand, supply rule)
//	--trust-node          take network version, circulating supply and
//	                      randomness from the node's state methods
//	--trace               print the Lotus ExecutionTrace JSON on stdout (the
//	                      message's; for --tipset a list of every message's)
//	--flame FILE.svg      the message's gas flame graph
//	--cpuprofile FILE     a Go CPU profile of the replay, as for run
//	--timeout D           deadline of one RPC attempt (default 30s)
//	--reachability, --engine, --code-cache   as --reachability, --engine and
//	                      --cache of run (compat is the default here)
//
// Exit codes: 0 it matches the chain; 1 a mismatch, or the replay could not
// run (an RPC failure after retries, a missing or corrupt block, a null
// round); 2 usage or input error; 130 interrupted.
//
// # fvmcheck validate
//
//	fvmcheck validate --rpc URL --from H --to H2 [flags]
//
// Replays every tipset with H ≤ height ≤ H2 in order, with a progress bar on
// a terminal (-v: a line per tipset on stdout), and stops at the first that
// differs from the chain: its replay report as replay prints it, then a
// state diff down to the actor and its fields. A tipset that matched is
// remembered in the cache, so a rerun resumes after it (--again re-checks).
// The last line is "N passed, M failed, K skipped" (skipped: validated by an
// earlier run). The flags are replay's, without --trace and --flame.
//
// Exit codes: 0 every tipset matched; 1 one differs, or the range could not
// be replayed; 2 usage or input error; 130 interrupted.
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
//
// # fvmcheck book
//
//	fvmcheck book --bundles DIR [--nv N[,N…]] [-run REGEXP] [--out DIR]
//
// runs the scenario book (package book): workflows of the real builtin
// actors — value sends creating accounts, multisigs, miners through
// PreCommit, ProveCommit, Window PoSt, faults, extension and termination,
// deals signed with secp256k1 and BLS keys, verified registry and datacap,
// the EVM and EAM, cron and rewards — on a genesis built for each network
// version's mainnet bundle, found under DIR as vN/builtin-actors-mainnet.car
// or vN.tar.zst. Each step asserts its exit code and the state effects the
// actors define. Proofs are not verified (the vector runner's trusting
// verifier), and a note on stderr says so first.
//
// Output: for every network version, one line per step group
// ("nv18   ok   multisig/cancel (4 messages)", failures indented below) and
// one per scenario; a version the kernel does not run is one "refused"
// line; then a line per version with its counts and wall time, and last
//
//	N passed, M failed
//
// counting scenarios (a scenario that does not exist at a version, such as
// the EVM before nv18, counts as neither).
//
// Flags: --nv (default: every version from 16 to 28; without --nv a version
// with no bundle is listed and skipped), -run (scenario names), --out DIR
// (writes every explicit message as a test vector, DIR/nvN/SCENARIO/NNN-
// STEP.json, readable by fvmcheck run; _meta lists the asserted and the
// recorded fields), -j N (network versions run at once; the output is the
// same for any N), --engine, --reachability, --cache as for run, --list.
//
// Exit codes: 0 every scenario passed; 1 a scenario failed; 2 usage or input
// error (no --bundles, a bad flag value, no bundle for a version named with
// --nv or none at all, -run matching nothing, an unusable --cache); 130
// interrupted.
package main
