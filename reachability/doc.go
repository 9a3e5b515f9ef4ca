// Package reachability tracks the reachable set of one actor invocation as
// FIP-0030 describes it: what the actor may open and link. A machine runs it
// in strict mode (unreachable opens and links are refused) or compat mode
// (nothing is checked on the hot path). It never decides gas.
package reachability
