package engine

import (
	"context"
	"sync/atomic"
)

// Prewarming: instantiation costs tens of microseconds of wazero work
// (mostly the table's element segment, one allocation per entry), and every
// actor call needs a fresh instance (fvm-abi.md §5.1). Messages run one after
// another, so a spare core can make the next instance of a hot module while
// the current one runs. A prewarmed instance has never run: it is the state
// instantiation produces, whatever goroutine produced it.

// prewarmSlot holds the ready instances of one module.
type prewarmSlot struct {
	ready   chan *Instance
	running atomic.Bool
}

// WithPrewarm keeps up to depth ready instances of each module that has
// been instantiated, made by a background goroutine (default 1; 0 turns it
// off). Each ready instance holds its initial linear memory (~1.1 MiB for a
// builtin actor). It pays when a core is idle, as in sequential message
// application: measured on 2 cores, 16.2k → 22.6k instances/s cycling
// through the 16 v10 actors. When every core is busy (parallel vector runs)
// it costs CPU instead, since an instance made on another core and used later
// misses the cache: under load 17k → 10k instances per CPU-second; pass 0
// there.
func WithPrewarm(depth int) Option {
	return func(c *config) {
		if depth < 0 {
			depth = 0
		}
		c.prewarm = depth
	}
}

func (e *Engine) takePrewarmed(m *Module) *Instance {
	if m.prewarm == nil {
		return nil
	}
	select {
	case in := <-m.prewarm.ready:
		e.prewarmHits.Add(1)
		return in
	default:
		return nil
	}
}

// kickPrewarm starts the module's refill goroutine unless it runs already.
func (e *Engine) kickPrewarm(m *Module) {
	pw := m.prewarm
	if pw == nil || len(pw.ready) == cap(pw.ready) || !pw.running.CompareAndSwap(false, true) {
		return
	}
	e.pwMu.Lock()
	if e.closed.Load() {
		e.pwMu.Unlock()
		pw.running.Store(false)
		return
	}
	e.pwWG.Add(1)
	e.pwMu.Unlock()
	go func() {
		defer e.pwWG.Done()
		defer pw.running.Store(false)
		for len(pw.ready) < cap(pw.ready) && !e.isClosed() {
			in, err := e.newInstance(context.Background(), m, nil)
			if err != nil {
				return // the caller's own instantiation will report it
			}
			select {
			case pw.ready <- in:
			default:
				in.Close(context.Background())
				return
			}
		}
	}()
}

func (e *Engine) isClosed() bool { return e.closed.Load() }

// stopPrewarm waits for the refill goroutines and closes the ready
// instances.
func (e *Engine) stopPrewarm(ctx context.Context) {
	e.pwMu.Lock()
	e.closed.Store(true)
	e.pwMu.Unlock()
	e.pwWG.Wait()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ent := range e.modules {
		select {
		case <-ent.done:
		default:
			continue
		}
		if ent.m == nil || ent.m.prewarm == nil {
			continue
		}
		for {
			select {
			case in := <-ent.m.prewarm.ready:
				in.Close(ctx)
				continue
			default:
			}
			break
		}
	}
}
