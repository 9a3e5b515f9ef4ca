package gas

// The block charges of the ipld syscalls (fvm-gas.md §2.1–§2.2) and, from
// WATERMELON, the FIP-0071 link scan and link fees (fvm-gas-next.md §2.4, §3).

// OnBlockOpenBase is charged first in every block_open. WATERMELON adds 300
// compute for checking the CID is reachable: 187,740 (fvm-gas-next.md §9.1).
func (p *PriceList) OnBlockOpenBase() Charge {
	c := p.split("OnBlockOpenBase", p.BlockOpenBase)
	c.Compute = c.Compute.Add(p.LinkChecked)
	return c
}

// OnBlockOpenPerByte is the per-byte open charge of a block without links:
// OnBlockOpen(n, 0).
func (p *PriceList) OnBlockOpenPerByte(n int) Charge { return p.OnBlockOpen(n, 0) }

// OnBlockOpen is charged for an opened block of n bytes whose scan found
// links links, after the scan. Skyr and Hygge name it OnBlockOpenPerByte and
// ignore links (no scan). From WATERMELON: compute 300·links, other 2.4n +
// max(0, 10n − 2.4n − 300·links), so the total is max(10n, 2.4n + 300·links)
// (fvm-gas-next.md §2.4).
func (p *PriceList) OnBlockOpen(n, links int) Charge {
	if !p.Rules.ReachabilityCharges {
		return p.retention("OnBlockOpenPerByte", p.BlockOpenMemretPerByte, n, 0)
	}
	size := count(n)
	compute := p.LinkTracked.MulCount(count(links))
	open := p.BlockOpenMemretPerByte.MulCount(size).Add(p.BlockAllocPerByte.MulCount(size)).Add(p.BlockMemcpyPerByte.MulCount(size))
	surcharge := p.BlockRetentionMinPerByte.MulCount(size).Add(-compute.Add(open))
	if surcharge < 0 {
		surcharge = 0
	}
	return Charge{Name: "OnBlockOpen", Compute: compute, Other: open.Add(surcharge)}
}

// OnBlockCreate is charged for an n-byte block without links created by an
// actor: OnBlockCreateLinks(n, 0).
func (p *PriceList) OnBlockCreate(n int) Charge { return p.OnBlockCreateLinks(n, 0) }

// OnBlockCreateLinks is charged for an n-byte block created by an actor
// whose scan found links links, after the scan. Skyr and Hygge ignore links.
// From WATERMELON: compute 2.4n + 300·links, other max(0, 10n − compute)
// (fvm-gas-next.md §2.4).
func (p *PriceList) OnBlockCreateLinks(n, links int) Charge {
	return p.retention("OnBlockCreate", p.BlockCreateMemretPerByte, n, p.LinkChecked.MulCount(count(links)))
}

// retention is compute = (memret + alloc + memcpy)·n + extra, other the
// surcharge up to the retention minimum.
func (p *PriceList) retention(name string, memret Gas, n int, extra Gas) Charge {
	compute := memret.Add(p.BlockAllocPerByte).Add(p.BlockMemcpyPerByte).Mul(int64(n)).Add(extra)
	surcharge := p.BlockRetentionMinPerByte.Mul(int64(n)).Add(-compute)
	if surcharge < 0 {
		surcharge = 0
	}
	return Charge{Name: name, Compute: compute, Other: surcharge}
}

// OnBlockRead is charged for the n bytes actually copied out.
func (p *PriceList) OnBlockRead(n int) Charge {
	return Charge{Name: "OnBlockRead", Compute: p.BlockMemcpyPerByte.Mul(int64(n))}
}

// OnBlockLink is charged for linking an n-byte block (blake2b-256 CIDs only).
// WATERMELON adds 300 compute for tracking the new CID: 506,300 + 3,352.4n
// (fvm-gas-next.md §2.4). The block's own links are not charged again.
func (p *PriceList) OnBlockLink(n int) Charge {
	per := p.BlockMemcpyPerByte.Mul(p.BlockLinkMemcpies).Add(p.BlockAllocPerByte)
	if p.Rules.HashedLink {
		h, _ := p.hashPerByte(HashBlake2b256)
		per = per.Add(h)
	}
	return Charge{
		Name:    "OnBlockLink",
		Compute: p.BlockLinkComputeBase.Add(p.LinkTracked).Add(per.Mul(int64(n))),
		Other:   p.BlockPersistBase.Add(p.BlockPersistPerByte.Mul(int64(n))),
	}
}

// OnScanIpldLinks is the charge of a FIP-0071 link scan that read fields
// CBOR items and cids tag-42 CIDs and did not run out of gas: compute 35 per
// field + 400 per CID (fvm-gas-next.md §3.2). It is 0 for a raw or CBOR
// block, which is not scanned but still charged. A scanner that meters as it
// goes uses NewScanMeter instead. The error wraps ErrNoSuchCharge before
// WATERMELON, which has no scan.
func (p *PriceList) OnScanIpldLinks(fields, cids int) (Charge, error) {
	if !p.Rules.ReachabilityCharges {
		return Charge{}, noSuchCharge(p.Name, "OnScanIpldLinks", "")
	}
	g := p.ScanPerField.MulCount(count(fields)).Add(p.ScanPerCID.MulCount(count(cids)))
	return Charge{Name: "OnScanIpldLinks", Compute: g}, nil
}

// ScanMeter meters one FIP-0071 link scan the way the reference does
// (fvm-gas-next.md §3.2, fvm-abi-next.md §4.5): against a private budget of
// the gas available when the scan starts, charging Field before each CBOR
// item header is read and CID for each tag-42 item. The scanner stops at the
// first error; then, whether the scan succeeded, failed or ran out, the
// kernel applies Charge() (one OnScanIpldLinks charge, which always fits)
// and returns the scan's error. Out of budget, Charge() is the whole budget,
// so the tracker ends with nothing available and the scan's ErrOutOfGas is
// the syscall's result.
//
//	m, err := prices.NewScanMeter(tracker.Available())
//	scanErr := scan(block, &m) // calls m.Field() / m.CID(), stops on error
//	if err := tracker.Apply(m.Charge()); err != nil { … }
//	if scanErr != nil { return scanErr }
type ScanMeter struct {
	perField, perCID     Gas
	available, remaining Gas
}

// NewScanMeter starts a scan with available gas. The error wraps
// ErrNoSuchCharge before WATERMELON, which has no scan.
func (p *PriceList) NewScanMeter(available Gas) (ScanMeter, error) {
	if !p.Rules.ReachabilityCharges {
		return ScanMeter{}, noSuchCharge(p.Name, "OnScanIpldLinks", "")
	}
	if available < 0 {
		available = 0
	}
	return ScanMeter{perField: p.ScanPerField, perCID: p.ScanPerCID, available: available, remaining: available}, nil
}

// Field pays for one CBOR item, before its header is read. ErrOutOfGas when
// the budget cannot cover it (reaching exactly 0 is fine).
func (m *ScanMeter) Field() error { return m.take(m.perField) }

// CID pays for one tag-42 item (a CID), after its field was paid.
func (m *ScanMeter) CID() error { return m.take(m.perCID) }

func (m *ScanMeter) take(g Gas) error {
	if m.remaining < g {
		m.remaining = 0
		return ErrOutOfGas
	}
	m.remaining -= g
	return nil
}

// Used is the gas the scan has consumed so far.
func (m *ScanMeter) Used() Gas { return m.available - m.remaining }

// Charge is the OnScanIpldLinks charge for what the scan consumed.
func (m *ScanMeter) Charge() Charge { return Charge{Name: "OnScanIpldLinks", Compute: m.Used()} }
