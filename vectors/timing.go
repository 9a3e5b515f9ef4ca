package vectors

import (
	"runtime"
	"time"
)

// Timing is how long one vector took in this process: the one part of an
// Outcome that differs between runs. The text report leaves it out; the
// JSON report carries it, for users chasing a slow vector.
type Timing struct {
	// ParseMS: reading the file, decoding JSON, base64 and gzip, reading
	// and hash-checking the CAR, and the code check (which may load the
	// vector's bundle the first time it is needed).
	ParseMS float64 `json:"parse_ms"`
	// ApplyMS: the driver applying the message (wall time).
	ApplyMS float64 `json:"apply_ms"`
	// CPUMS: the CPU time of the thread that ran the vector, parse to
	// verdict. Work the engine hands to other threads (parallel
	// compilation of a module's first use) and the garbage collector's are
	// not in it. 0 where the platform has no per-thread clock.
	CPUMS float64 `json:"cpu_ms"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// vectorClock times one vector on a thread of its own.
type vectorClock struct {
	start, cpu0 time.Duration
	wall0       time.Time
}

func startClock() *vectorClock {
	runtime.LockOSThread()
	return &vectorClock{cpu0: threadCPU(), wall0: time.Now()}
}

func (c *vectorClock) since() time.Duration { return time.Since(c.wall0) }

// stop ends the thread lock and returns the thread's CPU time.
func (c *vectorClock) stop() time.Duration {
	cpu := threadCPU() - c.cpu0
	runtime.UnlockOSThread()
	return cpu
}
