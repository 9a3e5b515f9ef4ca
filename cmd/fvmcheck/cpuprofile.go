package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
)

// cpuProfile is the --cpuprofile flag of run, trace and replay: a Go CPU
// profile of the command (go tool pprof FILE), for a user chasing where a
// slow message or run spends its time. It is not the --pprof gas profile.
type cpuProfile struct {
	path string
	f    *os.File
}

func (c *cpuProfile) addFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.path, "cpuprofile", "", "write a Go CPU profile of this command to FILE (go tool pprof FILE)")
}

// start begins profiling when the flag was given; the caller reports an
// error as a usage error and must call stop.
func (c *cpuProfile) start() error {
	if c.path == "" {
		return nil
	}
	f, err := os.Create(c.path)
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	c.f = f
	return nil
}

// stop ends profiling and closes the file.
func (c *cpuProfile) stop() {
	if c.f == nil {
		return
	}
	pprof.StopCPUProfile()
	c.f.Close()
	c.f = nil
}
