// Package limit decides, sample by sample, that a run must end before its
// time: its tree passed a hard ceiling, or its leak verdict is already in.
// It only decides; the caller stops the tree, through the supervisor's
// normal stop sequence, so that a run ended early still ends with an empty
// tree, a complete series and an analysis.
package limit

import (
	"fmt"
	"strings"

	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/samples"
)

// Ceilings are hard limits on the tree, checked on every sample; zero is
// no limit. They stop a run before the host's OOM killer or pid limit
// picks a victim of its own.
type Ceilings struct {
	// TreeMemoryBytes bounds the tree's memory: the kernel's charge less
	// page cache where the tree has a cgroup, else its RSS sum.
	TreeMemoryBytes uint64
	// Processes bounds the tree's members, zombies included: a zombie
	// holds its pid until it is reaped.
	Processes int
}

// Cause is what ended a run early.
type Cause int

const (
	// MemoryCeiling: the tree's memory passed Ceilings.TreeMemoryBytes.
	MemoryCeiling Cause = iota + 1
	// ProcessCeiling: the tree's processes passed Ceilings.Processes.
	ProcessCeiling
	// Leak: the live series was judged leaking (or its CPU degrading) by
	// the final verdict's rules.
	Leak
)

// Trigger is why a run must end now.
type Trigger struct {
	Cause  Cause
	Reason string // for people: "tree memory 2101.3 MB (RSS sum) is over the ceiling of 2048.0 MB", "leak in process_memory_mb, degradation in process_cpu_percent"
}

// The live series is judged when the run has grown by about a window's
// worth (a sixtieth), and at least every report.JudgeEvery: a judgement
// costs the analysis of every metric.

// Watch is a sink of the sample stream that tells OnTrigger, once, the first
// time a sample passes a ceiling, or when the series it watches has been
// judged leaking at every judgement while the run grew by half (see
// confirmAfter). Add runs on the sampling goroutine, after the sink that adds the
// sample to Series.
type Watch struct {
	Ceilings Ceilings
	// Series, if set, is the run's live series, judged by Options with the
	// rules of the final verdict (report.Analyze): nil judges nothing.
	Series  *report.Series
	Options report.Options
	// StopOnLeak makes a leak found again as the run grew by half a
	// reason to OnTrigger (--abort-on-leak); without it the Series is judged
	// only to tell Suspect.
	StopOnLeak bool
	// OnTrigger is called at most once, on the sampling goroutine; it must not
	// block for long.
	OnTrigger func(Trigger)
	// Suspect, if set, is called once, on the sampling goroutine, the
	// first time a judgement of the Series finds a leak: the moment to
	// take evidence, before anything is stopped. It must not block for
	// long.
	Suspect func(Trigger)

	fired, suspected bool
	first, judgedAt  float64
	started, judging bool
	// leakSince is the run's length, in seconds, at the first of the
	// judgements in a row that found it leaking; 0 when the last did not.
	leakSince float64
}

// confirmAfter is how much longer than at its first finding the run must be
// when a leak is found again before it stops the run: by then the last
// third that the persistence test reads lies wholly after the first
// finding. A start-up ramp that a short prefix reads as a leak has levelled
// off by then; a leak is stopped half as late again.
const confirmAfter = 1.5

// Add checks one sample. Samples taken while the tree is being stopped, or
// once it is gone, describe a tree being killed, not the workload, and
// are passed over.
func (w *Watch) Add(snap *samples.Snapshot) {
	if w.fired || w.OnTrigger == nil && w.Suspect == nil || snap.Kind == samples.KindStopping || snap.Kind == samples.KindExit {
		return
	}
	t := snap.TimestampUnix
	if !w.started {
		w.first, w.started = t, true
	}
	if st, over := w.Ceilings.passed(snap); over {
		w.fire(st)
		return
	}
	if w.Series == nil || w.judging && t-w.judgedAt < min(report.JudgeEvery.Seconds(), (t-w.first)/60) {
		return
	}
	w.judging, w.judgedAt = true, t
	leaks, verdicts := w.Series.Leaks(w.Options)
	span := t - w.first
	// The reasons' numbers are the final analysis's to print, over the
	// whole series; the decision names the metrics.
	reason := func() Trigger {
		parts := make([]string, len(leaks))
		for i, m := range leaks {
			parts[i] = fmt.Sprintf("%s in %s", verdicts[m].Verdict, m)
		}
		return Trigger{Cause: Leak, Reason: strings.Join(parts, ", ")}
	}
	if len(leaks) > 0 && !w.suspected && w.Suspect != nil {
		w.suspected = true
		w.Suspect(reason())
	}
	switch {
	case len(leaks) == 0:
		w.leakSince = 0
	case w.leakSince == 0:
		w.leakSince = span
	case span >= confirmAfter*w.leakSince && w.StopOnLeak:
		w.fire(reason())
	}
}

func (w *Watch) fire(s Trigger) {
	w.fired = true
	if w.OnTrigger != nil {
		w.OnTrigger(s)
	}
}

// passed says which ceiling snap is over, if any.
func (c Ceilings) passed(snap *samples.Snapshot) (Trigger, bool) {
	// The kernel's charge less reclaimable cache is what an OOM killer
	// weighs, and it counts a page shared by many members once; the RSS
	// sum stands in where the tree has no cgroup.
	mb, what := snap.ProcessMemoryMB, "RSS sum"
	if snap.CgroupMemoryNoCacheMB != nil {
		mb, what = snap.CgroupMemoryNoCacheMB, "kernel's charge less page cache"
	}
	if ceiling := float64(c.TreeMemoryBytes) / (1 << 20); c.TreeMemoryBytes > 0 && mb != nil && *mb > ceiling {
		return Trigger{MemoryCeiling, fmt.Sprintf("tree memory %.1f MB (%s) is over the ceiling of %.1f MB", *mb, what, ceiling)}, true
	}
	if c.Processes > 0 && snap.ProcessCount != nil {
		n := *snap.ProcessCount
		if snap.ProcessZombies != nil {
			n += *snap.ProcessZombies
		}
		if n > c.Processes {
			return Trigger{ProcessCeiling, fmt.Sprintf("%d processes in the tree are over the ceiling of %d", n, c.Processes)}, true
		}
	}
	return Trigger{}, false
}
