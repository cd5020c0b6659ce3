package report

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/soakrun/soakrun/report/trend"
)

// RunFacts is what the supervisor and the writer report of a run, for the
// analysis file.
type RunFacts struct {
	// Containment is what held the tree and, without a cgroup, why none:
	// "cgroup v2 at DIR", "process group: /sys/fs/cgroup is read-only".
	Containment       string   `json:"containment"`
	ExitCode          int      `json:"exit_code"`
	ExitStatus        int      `json:"exit_status"` // -1 when a signal ended the command
	Signal            string   `json:"signal"`      // "" when none
	TimedOut          bool     `json:"timed_out"`
	StoppedEarly      string   `json:"stopped_early"` // why soakrun ended the run early, "" when it did not
	Interrupted       string   `json:"interrupted"`   // the signal soakrun got, "" when none
	LeftoversKilled   []string `json:"leftovers_killed"`
	Unkillable        []string `json:"unkillable"`
	OrphansReaped     int      `json:"orphans_reaped"`
	SamplesWritten    int      `json:"samples_written"`
	SamplesDropped    int      `json:"samples_dropped"`
	WriteError        string   `json:"write_error"`
	SoakrunCPUSeconds float64  `json:"soakrun_cpu_seconds"`
	SoakrunPeakRSSMB  float64  `json:"soakrun_peak_rss_mb"`
	// PushAttempts and PushFailures count the pushes to --push-gateway,
	// the final delete included; both are left out without one.
	PushAttempts int `json:"push_attempts,omitempty"`
	PushFailures int `json:"push_failures,omitempty"`

	// OutputLinesDropped counts soakrun's own lines (messages on stderr,
	// annotations on stdout) that could not be written before the analysis
	// was: the reader of a log pipe went away. The run went on regardless.
	OutputLinesDropped int `json:"output_lines_dropped"`

	// Descriptors is what reading the tree did with soakrun's open-file
	// limit; absent where there is none (Windows).
	Descriptors *DescriptorFacts `json:"descriptors,omitempty"`
}

// DescriptorFacts say how reading the tree fared within soakrun's
// open-file limit: the files kept open between samples are bounded by a
// budget, and members past it are read without keeping any.
type DescriptorFacts struct {
	// OpenFileLimit is soakrun's RLIMIT_NOFILE; KeptFilesBudget the files
	// it allowed itself to keep open for reading the tree (a quarter of
	// the limit, leaving at least 64 free), KeptFilesPeak the most it kept.
	OpenFileLimit   int `json:"open_file_limit"`
	KeptFilesBudget int `json:"kept_files_budget"`
	KeptFilesPeak   int `json:"kept_files_peak"`
	// BudgetHits counts the reads of a member past the budget, which were
	// made without keeping its files.
	BudgetHits int `json:"budget_hits"`
	// Shortages counts reads that failed for want of a descriptor (EMFILE,
	// ENFILE); SamplesIncomplete the samples that missed members for it,
	// which the verdict does not judge as the tree.
	Shortages         int `json:"shortages"`
	SamplesIncomplete int `json:"samples_incomplete"`
}

// WriteFile writes the analysis as indented JSON.
func (a *Analysis) WriteFile(path string) error {
	b, err := a.JSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write analysis: %w", err)
	}
	return nil
}

// JSON is the analysis as indented JSON with a final newline.
func (a *Analysis) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode analysis: %w", err)
	}
	return append(b, '\n'), nil
}

// Summary is the analysis for people, a few lines: the verdict first, then
// the numbers needed to act on it.
func (a *Analysis) Summary() string {
	var b strings.Builder
	head := a.Headline()
	b.WriteString("verdict: " + head.Sentence(nil))
	if h := a.Memory.HoursToExhaustion; h != nil && a.Verdict == trend.Leak {
		fmt.Fprintf(&b, "; host memory runs out in %.0f h at this rate", *h)
	}
	if line := head.HostLine(nil); line != "" {
		b.WriteString("\n" + line)
	}
	what := strings.ToLower(memoryTitle(a.Memory.Source)[:1]) + memoryTitle(a.Memory.Source)[1:]
	fmt.Fprintf(&b, "\n%s %.1f–%.1f MB (avg %.1f, trend %+.2f MB/h); host CPU avg %.1f%%; %d samples over %s",
		what, a.Memory.MinMB, a.Memory.MaxMB, a.Memory.AvgMB, a.Memory.LeakMBPerHour, a.CPU.AvgPercent,
		a.SnapshotCount, hours(a.DurationHours))
	if v, ok := a.Metrics[TreeMemory]; ok && a.Memory.Source == CgroupMemory && v.Points > 0 {
		fmt.Fprintf(&b, "; RSS sum %.1f–%.1f MB (trend %+.2f MB/h)", v.Min, v.Max, v.SlopePerHour)
	}
	if v, ok := a.Metrics[TreePSS]; ok && v.Points > 0 {
		fmt.Fprintf(&b, "; PSS %.1f–%.1f MB (trend %+.2f MB/h)", v.Min, v.Max, v.SlopePerHour)
	}
	if n := a.OOMKills; n != nil {
		fmt.Fprintf(&b, "; OOM kills %d", *n)
	}
	if g := a.TopGrower; g != nil && g.MBPerHour > 0 {
		fmt.Fprintf(&b, "; fastest-growing process: %s (%+.2f MB/h)", g.Name, g.MBPerHour)
	}
	for _, m := range nameMetrics[1:] {
		if g, ok := a.leakingGrower(m); ok {
			fmt.Fprintf(&b, "; fastest-growing in %s: %s (%+.2f %s/h)", m, g.Name, g.SlopePerHour, g.Unit)
		}
	}
	if a.MemoryWent != nil {
		b.WriteString("\n" + a.MemoryWent.line())
	}
	return b.String()
}

// MemoryWent is where the tree's memory went between two breakdowns, by
// kind of memory: for its largest growers, from their own mappings
// (/proc/PID/smaps), and for its cgroup, from memory.stat.
type MemoryWent struct {
	FromUnix float64 `json:"from_timestamp_unix"`
	ToUnix   float64 `json:"to_timestamp_unix"`
	// Processes says, for each of the largest growers, what grew:
	// "python3 (pid 812): anonymous mappings +468 MB, [heap] +12 MB".
	Processes []string `json:"processes,omitempty"`
	// Cgroup says what grew in the cgroup's account: "anon +470 MB".
	Cgroup string `json:"cgroup,omitempty"`
	// Evidence are the directories of evidence taken during the run, the
	// first suspicion of a leak and the moment before the stop.
	Evidence []string `json:"evidence,omitempty"`
}

// line is MemoryWent for the summary.
func (w *MemoryWent) line() string {
	parts := slices.Clone(w.Processes)
	if w.Cgroup != "" {
		parts = append(parts, "cgroup: "+w.Cgroup)
	}
	if len(parts) == 0 {
		parts = append(parts, "no kind of memory grew by a megabyte")
	}
	s := fmt.Sprintf("where the memory went (%s of the run): %s", hours((w.ToUnix-w.FromUnix)/3600), strings.Join(parts, "; "))
	if len(w.Evidence) > 0 {
		s += "; evidence in " + strings.Join(w.Evidence, ", ")
	}
	return s
}

func hours(h float64) string {
	if h < 1.0/60 {
		return fmt.Sprintf("%.0f s", h*3600)
	}
	if h < 1 {
		return fmt.Sprintf("%.0f min", h*60)
	}
	return fmt.Sprintf("%.1f h", h)
}
