// Package tracing holds a hooks struct of optional functions (a nil hook
// costs nothing), the execution-trace event types, the Lotus-shaped
// ExecutionTrace builder, JSON lines output, and the gas profile of a
// trace (GasProfile: calls merged by actor and method, with their charges)
// written as a flame graph (SVG), a pprof profile or folded stacks. It
// never changes execution.
package tracing
