// Package gas owns the milligas tracker, the price lists per network version
// (each written as the previous list plus named changes) and GasOutputs
// (fvm-gas.md §1, §2, §5).
package gas
