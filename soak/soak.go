// Package soak runs one soak test: a command supervised in a container of
// its own, its whole tree and the host sampled into JSONL as it runs, and
// the series judged at the end. It is what `soakrun -- COMMAND` does; the
// command line only turns flags into a Config and an Outcome into an exit
// code, and a Go test can run a soak the same way (see Example).
package soak

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/soakrun/soakrun/limit"
	"github.com/soakrun/soakrun/metrics"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/supervisor"
)

// ErrBusy is Run's error while another Run goes on in the same process.
var ErrBusy = errors.New("another soak is running in this process")

// running is held by the one Run of this process.
var running sync.Mutex

// Config is one soak.
type Config struct {
	// Supervisor runs the command: its Args, Dir, Env, standard files,
	// Timeout, KillAfter, Signal, Cgroup, CgroupDriver, User, Foreground,
	// Interrupts and Pass are the caller's. Run sets its Log, LogOrphans,
	// BeforeStop and CloseLater, and starts, waits for and closes it; a
	// Supervisor runs once.
	Supervisor *supervisor.Supervisor

	Sampling Sampling

	// Judge judges the series at the end, and live where Ceilings,
	// AbortOnLeak or the evidence need it: the analysis, the verdict and
	// the exit code it implies. Without it the run is only sampled.
	Judge bool
	// Verdict is how the series is judged.
	Verdict report.Options
	// LeakExitCode is the exit code of a run whose command succeeded but
	// which leaked (0: the verdict is advisory).
	LeakExitCode int
	// Ceilings stop the run early, with ExitCeiling.
	Ceilings limit.Ceilings
	// AbortOnLeak stops the run as soon as the live series is judged
	// leaking, with LeakExitCode.
	AbortOnLeak bool
	// Evidence says which hooks run when evidence is taken.
	Evidence Evidence

	// PreserveStatus makes a timed-out run exit with the command's status
	// instead of 124.
	PreserveStatus bool
	// Verbose also logs each orphan reaped.
	Verbose bool

	Console Console
}

// Sampling is how the tree and the host are sampled, and where the samples go.
type Sampling struct {
	Interval time.Duration
	// Output is the JSONL file; the analysis, the HTML report and the
	// evidence go beside it (AnalysisPath, ReportPath, EvidenceDir).
	Output string
	// Top lists the N largest processes in each sample.
	Top int
	// RecordCmdline adds each listed process's command line, secrets
	// masked.
	RecordCmdline bool
	// Disk is the filesystem reported (default: the output's directory).
	Disk string
	// MetricsAddr serves Prometheus metrics there ("": none).
	MetricsAddr string
	// Push pushes them to a Pushgateway (nil: none).
	Push *metrics.PushConfig
}

// Evidence holds the user's commands run, with the shell, beside the tree
// when evidence is taken: the first time the live series is judged
// leaking, and before the stop's first signal.
type Evidence struct {
	OnSuspect, BeforeStop string
	// HookTimeout kills a hook still running after it.
	HookTimeout time.Duration
}

// Console is where a run speaks. Every field may be nil.
type Console struct {
	// Logf says each step of the run (the containment, the stop, what was
	// written), without the "soakrun: " its lines start with.
	Logf func(format string, args ...any)
	// Errorf says what went wrong, also where Logf says nothing.
	Errorf func(format string, args ...any)
	// Progress writes the progress line: a line about once a minute, or,
	// with ProgressTTY, one line redrawn in place every second.
	Progress    func(string)
	ProgressTTY bool
	// Summary gets the verdict's summary at the end; with SummaryOnFailure
	// only when the verdict fails the run.
	Summary          io.Writer
	SummaryOnFailure bool
	// Annotations gets the verdict as GitHub workflow commands.
	Annotations io.Writer
	// JobSummary is the GitHub job summary's file ("": none).
	JobSummary string
	// Dropped counts the lines the console could not write so far; the
	// analysis gets those of the run.
	Dropped func() int
}

// Outcome is what a soak came to.
type Outcome struct {
	Result supervisor.Result
	// Analysis is the judged series; nil without Config.Judge.
	Analysis *report.Analysis
	// ExitCode is the code the run implies: the command's (or 124 for a
	// timeout, 5 for a ceiling), LeakExitCode for a leak, 125 when soakrun
	// itself failed.
	ExitCode int
}

// Leaked reports whether the verdict fails the run: a leak, or a CPU
// degradation.
func (o Outcome) Leaked() bool { return o.Analysis != nil && o.Analysis.Fails() }

func (c Console) logf(format string, args ...any) {
	if c.Logf != nil {
		c.Logf(format, args...)
	}
}

// droppedFromNow is c with its Dropped counting from now on.
func (c Console) droppedFromNow() Console {
	if all := c.Dropped; all != nil {
		before := all()
		c.Dropped = func() int { return all() - before }
	}
	return c
}

func (c Console) errorf(format string, args ...any) {
	if c.Errorf != nil {
		c.Errorf(format, args...)
	}
}

// withContext stops the run, as its timeout would, when ctx ends.
func withContext(ctx context.Context, s *supervisor.Supervisor) (stop func()) {
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			s.Abort(supervisor.Abort{Reason: "the context ended: " + context.Cause(ctx).Error(), ExitCode: supervisor.ExitTimeout})
		case <-done:
		}
	}()
	return func() { close(done) }
}
