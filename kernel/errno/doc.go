// Package errno holds the FVM syscall error numbers (fvm-abi.md §2.1) as a
// small typed error, so every layer below the syscalls can say which number
// an operation fails with without knowing about wasm.
package errno
