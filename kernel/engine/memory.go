package engine

import (
	"sync"

	"github.com/tetratelabs/wazero/experimental"
)

// Memory limits of FVM v3 and v4 (fvm-gas.md §4, fvm-abi.md §11,
// fvm-gas-next.md §6.4).
const (
	// MaxInstanceMemoryBytes bounds one instance's linear memory
	// (wasmtime pooling: 8192 pages).
	MaxInstanceMemoryBytes = 512 << 20
	// MaxCallStackMemoryBytes bounds the memory of every live instance of a
	// message's call stack, tables included.
	MaxCallStackMemoryBytes = 2 << 30
	// TableElementBytes is what one table element counts against the budget.
	TableElementBytes = 8
	// MaxTableElements is the size of the reference's pooled tables in
	// 3.14.1 and 4.8.2 (fvm-gas-next.md §6.2): a larger minimum fails to
	// load, and table.grow stops there.
	MaxTableElements = 20_000
)

// MemoryBudget is the memory account of one message's call stack in FVM v3
// and v4. Every instance adds its initial memory and tables
// when instantiated and every accepted memory.grow its growth; the count goes
// back to what it was when the instance is closed, as the reference restores
// it when a call frame exits. A budget belongs to one call stack and is not
// safe for concurrent use. A nil *MemoryBudget is unlimited.
type MemoryBudget struct {
	limit uint64 // 0: unlimited
	used  uint64
}

// NewMemoryBudget returns the budget of a new message: 2 GiB for FVM v3
// and v4, unlimited for FVM v2 (it has no limiter).
func NewMemoryBudget(v Variant) *MemoryBudget {
	if v.memoryLimits() {
		return &MemoryBudget{limit: MaxCallStackMemoryBytes}
	}
	return &MemoryBudget{}
}

// NewMemoryBudgetLimit returns a budget with an explicit limit in bytes (0 =
// unlimited), for tests and tools.
func NewMemoryBudgetLimit(limit uint64) *MemoryBudget { return &MemoryBudget{limit: limit} }

// Used is the number of bytes currently counted.
func (b *MemoryBudget) Used() uint64 {
	if b == nil {
		return 0
	}
	return b.used
}

// Limit is the budget's limit in bytes (0 = unlimited).
func (b *MemoryBudget) Limit() uint64 {
	if b == nil {
		return 0
	}
	return b.limit
}

// grow counts n more bytes if that stays within the limit (the reference's
// `curr + n > max` refuses, saturating).
func (b *MemoryBudget) grow(n uint64) bool {
	if b == nil {
		return true
	}
	total := b.used + n
	if total < b.used { // overflow
		return false
	}
	if b.limit != 0 && total > b.limit {
		return false
	}
	b.used = total
	return true
}

func (b *MemoryBudget) restore(mark uint64) {
	if b != nil {
		b.used = mark
	}
}

// memoryPool recycles linear-memory buffers. A buffer is zeroed up to the
// largest size it ever had (its dirtied prefix) when it is taken again;
// everything past that was never handed out and is still zero, so a recycled
// buffer is indistinguishable from a fresh one. Data segments are written again by each
// instantiation.
type memoryPool struct {
	mu   sync.Mutex
	free []*linearMemory
}

const (
	poolMaxFree = 64      // buffers kept; enough for a few deep call stacks
	poolKeepCap = 8 << 20 // larger buffers go back to the GC
)

func newMemoryPool() *memoryPool { return &memoryPool{} }

func (p *memoryPool) get() *linearMemory {
	p.mu.Lock()
	n := len(p.free)
	if n == 0 {
		p.mu.Unlock()
		return &linearMemory{pool: p}
	}
	lm := p.free[n-1]
	p.free[n-1] = nil
	p.free = p.free[:n-1]
	p.mu.Unlock()
	// Zero the dirtied prefix here rather than in Free: the instantiating
	// goroutine (often the prewarmer, on another core) pays for it.
	clear(lm.buf[:lm.dirty])
	lm.dirty = 0
	return lm
}

func (p *memoryPool) put(lm *linearMemory) {
	if cap(lm.buf) > poolKeepCap {
		return
	}
	p.mu.Lock()
	if len(p.free) < poolMaxFree {
		p.free = append(p.free, lm)
	}
	p.mu.Unlock()
}

// linearMemory implements experimental.LinearMemory over a pooled buffer and
// applies the FVM v3/v4 limits to every growth: a refused Reallocate makes wazero's
// memory.grow return −1, after the instrumented code has charged its gas.
type linearMemory struct {
	pool   *memoryPool
	buf    []byte // len(buf) == cap(buf)
	size   uint64
	dirty  uint64 // high-water mark of size since the last reset
	max    uint64 // per-instance limit in bytes, 0: none beyond wazero's
	budget *MemoryBudget
	// started is false until the initial Reallocate, which Instantiate has
	// already counted against the budget.
	started bool
}

var _ experimental.LinearMemory = (*linearMemory)(nil)

func (l *linearMemory) Reallocate(size uint64) []byte {
	if l.started {
		if size < l.size || (l.max != 0 && size > l.max) {
			return nil
		}
		if !l.budget.grow(size - l.size) {
			return nil
		}
	} else {
		l.started = true
	}
	if size > uint64(len(l.buf)) {
		// A fresh buffer is exactly the module's minimum (16–18 pages for the
		// builtin actors): a 1024-deep call stack holds one per frame, so any
		// slack here is multiplied by the depth. Growth doubles.
		n := uint64(len(l.buf)) * 2
		if n < size {
			n = size
		}
		if l.max != 0 && n > l.max && l.max >= size {
			n = l.max
		}
		nb := make([]byte, n)
		copy(nb, l.buf[:l.size])
		l.buf = nb
		l.dirty = l.size
	}
	l.size = size
	if size > l.dirty {
		l.dirty = size
	}
	return l.buf[:size:size]
}

func (l *linearMemory) Free() {
	if len(l.buf) > poolKeepCap {
		// Not worth zeroing (and thereby touching) a large buffer: let the
		// GC have it.
		l.buf = nil
		l.size, l.dirty, l.started, l.budget, l.max = 0, 0, false, nil, 0
		return
	}
	l.size, l.started, l.budget, l.max = 0, false, nil, 0
	l.pool.put(l)
}
