// Package kernel is the FVM proper: the Machine, the Executor that applies
// explicit and implicit messages, the call manager (send, transactions, depth,
// actor creation) and the per-invocation Kernel that implements every
// operation the syscalls expose. It never parses wasm memory: that is the job
// of package syscalls.
package kernel
