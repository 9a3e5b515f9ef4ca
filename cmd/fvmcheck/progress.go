package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// progress draws a one-line bar on stderr, only when stderr is a terminal
// (a character device): logs and pipes get no control characters.
type progress struct {
	w     io.Writer
	shown bool
}

func newProgress(stderr io.Writer) *progress {
	if f, ok := stderr.(*os.File); ok && isTerminal(f) {
		return &progress{w: f}
	}
	return &progress{}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const barWidth = 30

func (p *progress) draw(done, total int) {
	if p.w == nil || total == 0 {
		return
	}
	n := done * barWidth / total
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d", strings.Repeat("=", n), strings.Repeat(" ", barWidth-n), done, total)
	p.shown = true
}

// clear erases the bar before other output.
func (p *progress) clear() {
	if p.w != nil && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
