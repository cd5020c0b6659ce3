package soak

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/soakrun/soakrun/internal/buildinfo"
	"github.com/soakrun/soakrun/internal/fdbudget"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/sampler"
	"github.com/soakrun/soakrun/supervisor"
)

// Run runs one soak to its end and judges it. The order is the lifecycle's,
// and each step depends on the one before: the output and the sinks open
// before the command starts (a run that cannot be recorded runs nothing);
// sampling starts once the command runs; the exit sample is taken after
// the tree is empty but before the supervisor's Close, since it reads the
// run's cgroup, which Close removes; then the series is judged, the
// analysis written beside the output, and the output files given to
// Supervisor.User where one is set.
//
// When ctx ends, the run is stopped as its timeout would stop it (the
// signal, the grace, SIGKILL) and exits 124. Run returns an error, with the
// Outcome's exit code saying what it implies, when the command could not
// be started (126, 127), nothing could be run (125: no command, an output
// that cannot be written, a metrics address that cannot be bound), or the
// tree could not be emptied (125 unless the command failed already).
//
// A process runs one soak at a time (ErrBusy): it is the tree's subreaper,
// and its reaped CPU and open-file budget are the run's. Children the
// program started before Run are not the tree, and are left to it; those
// it starts during a run are taken for the tree's orphans.
func Run(ctx context.Context, cfg Config) (Outcome, error) {
	s, c := cfg.Supervisor, cfg.Console
	fail := Outcome{ExitCode: supervisor.ExitFailure}
	if s == nil || len(s.Args) == 0 {
		return fail, errors.New("no command given")
	}
	if !running.TryLock() {
		return fail, ErrBusy
	}
	defer running.Unlock()
	if err := ctx.Err(); err != nil {
		return fail, err
	}
	// The lines dropped and the files kept are this run's, not those of
	// the process's runs before it.
	c = c.droppedFromNow()
	fdbudget.Process().StartRun(c.logf, c.errorf)
	s.Log, s.LogOrphans, s.CloseLater = c.logf, cfg.Verbose, true

	var views liveViews
	if cfg.Judge {
		views.series, views.trend = report.NewSeries(), cfg.Verdict
	}
	rec := newRecorder(s, cfg.Sampling.Output, cfg.Evidence, cfg.Verdict.Warmup, s.Timeout, c.logf)
	s.BeforeStop, views.recorder = rec.beforeStop, rec
	views.watch = watch(cfg, views.series, rec.suspect)
	if c.Progress != nil {
		views.progress = newProgress(s.Timeout, c.Progress, c.ProgressTTY)
	}
	src := sampler.Config{Members: s.Members, PeakMemory: s.PeakMemory, Stopping: s.Stopping, Cgroup: s.CgroupPaths, ReapedCPU: s.ReapedCPU}
	stream, err := openStream(cfg.Sampling, src, views, c)
	if err != nil {
		return fail, err
	}
	giveOutputs(s.User, c, cfg.Sampling.Output)
	if err := s.Start(); err != nil {
		stream.pipe.Close()
		return Outcome{ExitCode: supervisor.StartExitCode(err)}, err
	}
	c.logf("containment: %s", s.Containment())
	stopOnDone := withContext(ctx, s)
	stream.pipe.Start()
	res, waitErr := s.Wait()
	stopOnDone()
	facts := stream.close(c) // its exit sample reads the cgroup, kept until now
	if err := s.Close(); err != nil {
		c.logf("%v", err)
	}

	o := Outcome{Result: res, ExitCode: res.ExitCode(cfg.PreserveStatus)}
	if cfg.Judge {
		a := report.Analyze(views.series, cfg.Verdict)
		o.ExitCode = supervisor.WithLeak(o.ExitCode, a.Fails(), cfg.LeakExitCode)
		a.Run = runFacts(res, o.ExitCode, facts)
		a.Run.Descriptors = descriptorFacts(views.series)
		a.MemoryWent = rec.memoryWent(a)
		a.SoakrunVersion = buildinfo.Version
		publish(a, views.series, cfg.Sampling.Output, c)
		o.Analysis = a
	}
	out := cfg.Sampling.Output
	giveOutputs(s.User, c, out, AnalysisPath(out), ReportPath(out), EvidenceDir(out))
	c.logf("%s", describeResult(res, o.ExitCode))
	if waitErr != nil {
		// The tree could not be emptied: that is soakrun's failure to
		// report, unless the command already failed on its own.
		if o.ExitCode == 0 {
			o.ExitCode = supervisor.ExitFailure
		}
		return o, waitErr
	}
	return o, nil
}

// describeResult is the run's one-line account on stderr.
func describeResult(r supervisor.Result, code int) string {
	elapsed := r.Ended.Sub(r.Started).Round(time.Millisecond)
	what := fmt.Sprintf("command exited with status %d", r.ExitStatus)
	if r.Signal != 0 {
		what = fmt.Sprintf("command killed by signal %d", int(r.Signal))
	}
	switch {
	case r.TimedOut:
		what = "timed out; " + what
	case r.Aborted != nil:
		what = "stopped early (" + r.Aborted.Reason + "); " + what
	case r.Interrupted != nil:
		what = fmt.Sprintf("interrupted by %s; %s", r.Interrupted, what)
	}
	if len(r.Leftovers) > 0 {
		what += fmt.Sprintf("; stopped %d leftover process(es): %s", len(r.Leftovers), supervisor.Names(r.Leftovers))
	}
	return fmt.Sprintf("%s after %s; exit code %d", what, elapsed, code)
}

// runFacts puts the supervisor's account of the run into the analysis.
func runFacts(r supervisor.Result, code int, f report.RunFacts) *report.RunFacts {
	f.Containment = r.Containment
	f.ExitCode, f.ExitStatus, f.TimedOut = code, r.ExitStatus, r.TimedOut
	if r.Aborted != nil {
		f.StoppedEarly = r.Aborted.Reason
	}
	f.OrphansReaped = r.OrphansReaped
	if r.Signal != 0 {
		f.Signal = supervisor.SignalName(r.Signal)
	}
	if r.Interrupted != nil {
		f.Interrupted = r.Interrupted.String()
	}
	f.LeftoversKilled, f.Unkillable = names(r.Leftovers), names(r.Unkillable)
	return &f
}

// descriptorFacts says how reading the tree fared within the open-file
// limit; nil where there is none.
func descriptorFacts(series *report.Series) *report.DescriptorFacts {
	st := fdbudget.Process().Stats()
	if st.Limit == 0 {
		return nil
	}
	return &report.DescriptorFacts{
		OpenFileLimit: st.Limit, KeptFilesBudget: st.Size, KeptFilesPeak: st.PeakKept,
		BudgetHits: st.Refused, Shortages: st.Short, SamplesIncomplete: series.Incomplete(),
	}
}

func names(ps []proc.Process) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}
