//go:build !(linux || darwin || freebsd)

package vectors

import "time"

// threadCPU is 0: no per-thread clock here.
func threadCPU() time.Duration { return 0 }
