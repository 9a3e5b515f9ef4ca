package gas

// PriceList holds the prices of one network version (fvm-gas.md §2). Its
// methods are named after the charges they produce (OnSyscall,
// OnBlockOpenBase, …) and return a Charge with that name.
//
// Skyr (nv17) and Hygge (nv18) are built as "previous list plus named changes".
type PriceList struct {
	// filled in by the price-list work (issue 5)
	OnSyscallCharge Charge
}

// OnSyscall is charged by the wrapper of every syscall (14,000 gas in both lists).
func (p *PriceList) OnSyscall() Charge { return p.OnSyscallCharge }
