package main

import (
	"fmt"
	"os"
	"sync/atomic"
)

// console is soakrun's own output: its messages on stderr, workflow
// annotations on stdout. A soak must never end because the reader of its
// log went away: a line that cannot be written (EPIPE from a closed pipe, a
// full disk under a redirect) is dropped and counted, and the run goes on
// exactly as it would have. The count goes into the analysis's run section.
//
// Writing to a closed pipe on fd 1 or 2 would otherwise kill a Go program
// with SIGPIPE; main asks for SIGPIPE (watchSignals), which makes such a
// write return EPIPE instead (see os/signal, "SIGPIPE").
type console struct {
	dropped atomic.Int64
}

// out is the one console of this process.
var out console

// stderr writes s, a whole line or more, in one write(2).
func (c *console) stderr(s string) { c.write(os.Stderr, s) }

// stdout writes s, a whole line or more, in one write(2).
func (c *console) stdout(s string) { c.write(os.Stdout, s) }

func (c *console) write(f *os.File, s string) {
	if _, err := f.WriteString(s); err != nil {
		c.dropped.Add(1)
	}
}

// errorf writes one line of soakrun's own on stderr.
func (c *console) errorf(format string, args ...any) {
	c.stderr(fmt.Sprintf("soakrun: "+format+"\n", args...))
}

// linesDropped is how many writes could not be made so far.
func (c *console) linesDropped() int { return int(c.dropped.Load()) }
