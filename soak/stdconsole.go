package soak

import (
	"fmt"
	"os"
	"sync/atomic"

	"github.com/soakrun/soakrun/supervisor"
)

// StdConsole is a run's console on the process's stderr and stdout, as
// soakrun's own: its steps unless quiet, errors always ("soakrun: " and
// one line each), the progress line unless quiet (redrawn in place on a
// terminal), the summary (when quiet, only for a verdict that fails the
// run), and on GitHub Actions the annotations on stdout and the job
// summary.
//
// A soak must never end because the reader of its log went away: a line
// that cannot be written (EPIPE from a closed pipe, a full disk under a
// redirect) is dropped and counted, and the run goes on as it would have.
// The count goes into the analysis's run section. So that a write to a
// closed pipe returns EPIPE instead of killing the process with SIGPIPE,
// StdConsole asks for SIGPIPE (supervisor.SurvivePipeErrors).
func StdConsole(quiet bool) Console {
	supervisor.SurvivePipeErrors()
	c := Console{
		Logf: std.errorf, Errorf: std.errorf,
		Summary: os.Stderr, SummaryOnFailure: quiet,
		JobSummary: os.Getenv("GITHUB_STEP_SUMMARY"),
		Dropped:    std.linesDropped,
	}
	if quiet {
		c.Logf = func(string, ...any) {}
	} else {
		c.Progress = func(s string) { std.write(os.Stderr, s) }
		if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			c.ProgressTTY = true
		}
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		c.Annotations = os.Stdout
	}
	return c
}

// stdWriter writes whole lines to the process's standard files, each in
// one write(2), and counts those it could not write.
type stdWriter struct{ dropped atomic.Int64 }

// std is the one stdWriter of the process, as its stderr is one.
var std stdWriter

func (w *stdWriter) write(f *os.File, s string) {
	if _, err := f.WriteString(s); err != nil {
		w.dropped.Add(1)
	}
}

func (w *stdWriter) errorf(format string, args ...any) {
	w.write(os.Stderr, fmt.Sprintf("soakrun: "+format+"\n", args...))
}

func (w *stdWriter) linesDropped() int { return int(w.dropped.Load()) }
