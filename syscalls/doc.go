// Package syscalls is the exact wasm import ABI of the FVM per network
// version (fvm-abi.md §1–§3): module and function names, signatures, packed
// struct layouts and error numbers. It moves bytes between wasm memory and a
// Kernel and holds no state of its own.
package syscalls
