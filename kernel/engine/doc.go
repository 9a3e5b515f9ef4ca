// Package engine owns the wazero runtime and its feature set, the module
// cache keyed by code CID and network-version variant, pooled linear
// memories, and the instrumentation pass (stack limiter, gas metering, NaN
// canonicalisation) in its nv17 and nv18 variants (fvm-gas.md §3–§4). It
// knows nothing of what the syscalls mean.
package engine
