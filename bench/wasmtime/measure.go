package main

import (
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time: both engines run in this
// process, so it counts wasmtime's compiler threads and Go's collector
// alike. Wall time swings with the machine's load; CPU time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sample is one measured run.
type sample struct{ cpu, wall time.Duration }

func measure(f func() error) (sample, error) {
	runtime.GC() // each run starts from a collected heap; its own garbage counts
	c0, w0 := cpuTime(), time.Now()
	err := f()
	return sample{cpuTime() - c0, time.Since(w0)}, err
}

// pair is gofvm's and wasmtime's samples of one workload, taken
// alternately in the same process.
type pair struct {
	name   string
	unit   string // what one run is, for the table
	per    int    // items per run (instances, calls), for rates
	g, w   []sample
	note   string
	failed error
}

// sideBySide runs g and w rounds times each, alternating which goes first,
// after one unmeasured run of each (compilation caches, page faults).
func sideBySide(name string, rounds int, g, w func() error) *pair {
	p := &pair{name: name}
	if err := g(); err != nil {
		p.failed = fmt.Errorf("gofvm: %w", err)
		return p
	}
	if err := w(); err != nil {
		p.failed = fmt.Errorf("wasmtime: %w", err)
		return p
	}
	for r := 0; r < rounds; r++ {
		order := []func() error{g, w}
		if r%2 == 1 {
			order = []func() error{w, g}
		}
		for i, f := range order {
			s, err := measure(f)
			if err != nil {
				p.failed = err
				return p
			}
			if (i == 0) == (r%2 == 0) {
				p.g = append(p.g, s)
			} else {
				p.w = append(p.w, s)
			}
		}
	}
	return p
}

func median(ss []sample, cpu bool) time.Duration {
	ds := make([]time.Duration, len(ss))
	for i, s := range ss {
		if cpu {
			ds[i] = s.cpu
		} else {
			ds[i] = s.wall
		}
	}
	slices.Sort(ds)
	if len(ds) == 0 {
		return 0
	}
	return ds[len(ds)/2]
}

// ratio is gofvm's median CPU time over wasmtime's: below 1 gofvm is faster.
func (p *pair) ratio() float64 {
	w := median(p.w, true)
	if w == 0 {
		return 0
	}
	return float64(median(p.g, true)) / float64(w)
}

func (p *pair) wallRatio() float64 {
	w := median(p.w, false)
	if w == 0 {
		return 0
	}
	return float64(median(p.g, false)) / float64(w)
}
