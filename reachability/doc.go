// Package reachability tracks the reachable set of one actor invocation as
// FIP-0030 describes it: what the actor may open and link. A machine runs it
// in strict mode (unreachable opens and links are refused) or compat mode
// (nothing is checked on the hot path). It never decides gas.
//
// The rules are those FIP-0071 later made precise (and ref-fvm implemented
// after FVM v3): the state root, params and send return blocks are roots;
// opened blocks add their links; created blocks may only link to reachable
// CIDs and become reachable once linked. A third mode, audit, tracks the set
// and records violations without refusing anything.
package reachability
