//go:build unix

package blocks

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time. Benchmarks report it beside
// wall time because the shared build machine is often oversubscribed.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
