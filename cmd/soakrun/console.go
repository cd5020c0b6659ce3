package main

import (
	"fmt"
	"os"
	"sync/atomic"

	"github.com/soakrun/soakrun/soak"
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

// stderrConsole is a run's console on soakrun's stderr and stdout: steps
// unless quiet, errors always, the progress line unless quiet, the summary
// (under --quiet only for a failing verdict), and on GitHub Actions the
// annotations and the job summary.
func stderrConsole(quiet bool) soak.Console {
	c := soak.Console{
		Logf: logger(quiet), Errorf: out.errorf,
		Summary: os.Stderr, SummaryOnFailure: quiet,
		JobSummary: os.Getenv("GITHUB_STEP_SUMMARY"),
		Dropped:    out.linesDropped,
	}
	if !quiet {
		c.Progress = out.stderr
		if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			c.ProgressTTY = true
		}
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		c.Annotations = os.Stdout
	}
	return c
}
