// Package tracing holds a hooks struct of optional functions (a nil hook
// costs nothing), the execution-trace event types, the Lotus-shaped
// ExecutionTrace builder, JSON lines output and the gas flame graph. It never
// changes execution.
package tracing
