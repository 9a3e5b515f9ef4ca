// Package reachability tracks the reachable set of one actor invocation
// (FIP-0071, refining FIP-0030): what the actor may open, link, and adopt as
// its state root. It never decides gas: the kernel scans and charges.
//
// From nv21 the set is consensus (fvm-abi-next.md §4): the kernel uses a
// Consensus set and follows the reference step by step, each block's link
// list computed once by codecs.AppendReachable when the block enters the
// invocation.
//
// For nv ≤ 20, where the reference checks nothing, a machine may run the set
// in one of three modes of gofvm's own: compat (nothing is checked or
// recorded, as the reference), strict (unreachable opens, links and roots are
// refused) and audit (tracked as strict, violations recorded, nothing
// refused). Strict follows FIP-0071's text more than the reference's code:
// fvm-abi-next.md §4.6 lists where they differ, and the kernel's tests show
// each difference side by side.
package reachability
