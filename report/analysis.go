package report

import (
	"fmt"
	"math"
	"time"

	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

// units names each judged metric's unit for people.
var units = map[Metric]string{
	TreeMemory: "MB", HostMemory: "MB", TreePSS: "MB", CgroupMemory: "MB", OOMKills: "kills", Handles: "handles", Threads: "threads",
	Processes: "processes", Zombies: "zombies", DiskUsed: "GB", TreeCPU: "%",
}

// rateMetrics are judged as rates (trend.Options.Rate): a rise that stays
// up is a degradation.
var rateMetrics = map[Metric]bool{TreeCPU: true}

// Options are the analysis's settings.
type Options struct {
	Thresholds Thresholds
	// Warmup is left out of the start of the series; negative means the
	// default (a tenth of the run, at most an hour).
	Warmup time.Duration
	// MinSpan is the shortest stretch after the warm-up that is judged
	// (0: the trend package's ten minutes).
	MinSpan time.Duration
	// JudgeHost fails the run for host findings too: a rise of a
	// host-wide figure (disk used, host memory) that the tree did not
	// account for is then listed among the leaks. Without it such a rise
	// is reported apart (Analysis.HostFindings) and fails nothing.
	JudgeHost bool
}

// Analysis is what a run's series says, written beside the JSONL as
// resources.analysis.json. The first keys are the psutil monitor's.
type Analysis struct {
	SnapshotCount int         `json:"snapshot_count"`
	DurationHours float64     `json:"duration_hours"`
	Memory        MemoryStats `json:"memory"`
	CPU           CPUStats    `json:"cpu"`
	Disk          DiskStats   `json:"disk"`

	// Verdict is the run's: "leak" when any metric leaks, else
	// "degradation" when the tree's CPU rose and stayed up, else
	// "insufficient_data" when memory cannot be judged, else
	// "grew_then_plateaued" when something grew and stopped, else
	// "no_leak".
	Verdict      trend.Verdict `json:"verdict"`
	LeakDetected bool          `json:"leak_detected"`
	Leaks        []Metric      `json:"leaks"`
	// DegradationDetected: the tree's CPU degraded (Degradations lists
	// it). It fails the run as a leak does.
	DegradationDetected bool                     `json:"degradation_detected"`
	Degradations        []Metric                 `json:"degradations"`
	Metrics             map[Metric]MetricVerdict `json:"metrics"`
	// HostFindings are the host-wide figures (disk_used_gb, and
	// memory_used_mb where the tree is known) that rose at a leak's rate
	// while the tree did not account for the rise: its writes were less
	// than half the disk's growth, its memory's rise less than half the
	// host's. They are listed in Leaks too only when judged
	// (Options.JudgeHost). Each one's metric says what the tree's part was.
	HostFindings []Metric `json:"host_findings"`
	TopGrower    *Grower  `json:"top_grower,omitempty"`
	// TopGrowers are, per figure followed by name (memory, handles,
	// threads, CPU), the executables whose sum grew fastest, fastest first.
	TopGrowers map[Metric][]NameTrend `json:"top_growers,omitempty"`
	// MemoryWent says where the tree's memory went, by kind, between the
	// end of the warm-up and the last breakdown (Linux); absent where none
	// was taken.
	MemoryWent *MemoryWent `json:"memory_went,omitempty"`

	// OOMKills counts the tree's members the kernel's OOM killer killed,
	// from the run's cgroup; null where no cgroup counted them. Any kill is
	// a finding: it is listed in Leaks as cgroup_oom_kills.
	OOMKills *int `json:"oom_kills"`

	// SoakrunVersion is the build of soakrun that judged the series.
	SoakrunVersion string             `json:"soakrun_version,omitempty"`
	Run            *RunFacts          `json:"run,omitempty"`
	Input          *samples.ReadStats `json:"input,omitempty"`
}

// MemoryStats are the psutil monitor's memory keys, over the tree's memory
// when the series has it and the host's otherwise (Source says which).
type MemoryStats struct {
	Source        Metric  `json:"source"`
	MinMB         float64 `json:"min_mb"`
	MaxMB         float64 `json:"max_mb"`
	AvgMB         float64 `json:"avg_mb"`
	LeakMBPerHour float64 `json:"leak_mb_per_hour"`
	LeakDetected  bool    `json:"leak_detected"`
	// HoursToExhaustion is when the host's available memory runs out at the
	// leak's rate; null unless memory leaks.
	HoursToExhaustion *float64 `json:"hours_to_exhaustion"`
}

// CPUStats are the host's CPU percent, as the psutil monitor reported.
type CPUStats struct {
	MinPercent float64 `json:"min_percent"`
	MaxPercent float64 `json:"max_percent"`
	AvgPercent float64 `json:"avg_percent"`
}

// DiskStats are the used space of the sampled filesystem.
type DiskStats struct {
	MinGB    float64 `json:"min_gb"`
	MaxGB    float64 `json:"max_gb"`
	GrowthGB float64 `json:"growth_gb"`
}

// MetricVerdict is one metric's trend and verdict.
type MetricVerdict struct {
	trend.Result
	Unit      string   `json:"unit"`
	Threshold *float64 `json:"threshold_per_hour"` // null: not judged
	// Tree is, for a host-wide figure that leaked beside a known tree, the
	// tree's own part of the rise; absent otherwise.
	Tree *TreePart `json:"tree,omitempty"`
	// HostFinding says the rise is not the tree's (Tree.Accounts is
	// false): it fails the run only with Options.JudgeHost.
	HostFinding bool `json:"host_finding,omitempty"`
}

// Grower is the executable whose members' memory grew fastest, from the
// --top lists: the first of TopGrowers' memory, in the old key's form.
type Grower struct {
	Name      string        `json:"name"`
	MBPerHour float64       `json:"mb_per_hour"`
	Verdict   trend.Verdict `json:"verdict"`
	MinMB     float64       `json:"min_mb"`
	LastMB    float64       `json:"last_mb"`
}

// Analyze judges a series.
func Analyze(s *Series, o Options) *Analysis {
	a := &Analysis{
		SnapshotCount: s.count,
		DurationHours: (s.last - s.first) / 3600,
	}
	var memory Metric
	memory, a.Metrics, a.Leaks, a.Degradations, a.HostFindings = s.judgeAll(o)

	mem := s.cols[memory]
	a.Memory = MemoryStats{Source: memory, MinMB: mem.min, MaxMB: mem.max, AvgMB: mem.mean()}
	if v, ok := a.Metrics[memory]; ok {
		a.Memory.LeakMBPerHour, a.Memory.LeakDetected = v.SlopePerHour, v.Leak
		if avail := s.cols[HostAvailable]; v.Leak && avail.n > 0 && v.SlopePerHour > 0 {
			h := avail.lastVal / v.SlopePerHour
			a.Memory.HoursToExhaustion = &h
		}
	}
	cpu := s.cols[HostCPU]
	a.CPU = CPUStats{MinPercent: cpu.min, MaxPercent: cpu.max, AvgPercent: cpu.mean()}
	disk := s.cols[DiskUsed]
	a.Disk = DiskStats{MinGB: disk.min, MaxGB: disk.max, GrowthGB: disk.lastVal - disk.first}

	if c := s.cols[OOMKills]; c.n > 0 {
		n := int(c.max)
		a.OOMKills = &n
	}
	a.TopGrower, a.TopGrowers = growers(s, o)
	a.LeakDetected = len(a.Leaks) > 0
	a.DegradationDetected = len(a.Degradations) > 0
	a.Verdict = overall(a, memory)
	return a
}

// Fails says whether the verdict fails the run: a leak or a degradation.
func (a *Analysis) Fails() bool { return a.LeakDetected || a.DegradationDetected }

// judgeAll judges every metric the verdict rests on: the tree's figures
// when the series has them (memory the host's otherwise) and the disk.
// The tree's memory is the kernel's charge less its page cache where a
// cgroup ran, the RSS sum otherwise; the RSS sum and the PSS are judged
// beside it. memory is the memory metric the verdict rests on; leaks and
// degradations are in report order, and an OOM kill is a leak. Beside a
// known tree, a host-wide figure's leak is the tree's only when the tree
// accounts for it, and is otherwise a host finding, a leak only with
// o.JudgeHost; host memory then is judged for host findings alone, the
// tree's own memory speaking for the tree.
func (s *Series) judgeAll(o Options) (memory Metric, verdicts map[Metric]MetricVerdict, leaks, degradations, host []Metric) {
	memory, judged := s.judged()
	if s.hasTree {
		judged = append(judged, HostMemory)
	}
	verdicts, leaks, degradations, host = map[Metric]MetricVerdict{}, []Metric{}, []Metric{}, []Metric{}
	for _, m := range judged {
		c := s.cols[m]
		if c.n == 0 {
			continue
		}
		v := judge(c, m, o)
		if s.hasTree && hostMetrics[m] && v.Verdict == trend.Leak {
			s.attribute(m, &v)
		}
		if s.hasTree && m == HostMemory && !v.HostFinding {
			continue // the tree's own memory speaks for it
		}
		verdicts[m] = v
		switch {
		case v.HostFinding:
			host = append(host, m)
			if o.JudgeHost {
				leaks = append(leaks, m)
			}
		case v.Verdict == trend.Leak:
			leaks = append(leaks, m)
		case v.Verdict == trend.Degradation:
			degradations = append(degradations, m)
		}
	}
	if v, ok := oomFinding(s.cols[OOMKills]); ok {
		verdicts[OOMKills] = v
		leaks = append(leaks, OOMKills)
	}
	return memory, verdicts, leaks, degradations, host
}

// oomFinding is the verdict on the OOM kill count: any kill is a finding,
// whatever the memory's trend, because a tree under a memory ceiling that
// is killed and restarted shows a calm sawtooth while it fails.
func oomFinding(c *column) (MetricVerdict, bool) {
	if c.n == 0 || c.max < 1 {
		return MetricVerdict{}, false
	}
	n := int(c.max)
	reason := fmt.Sprintf("the kernel's OOM killer killed %d member(s) of the tree", n)
	if n == 1 {
		reason = "the kernel's OOM killer killed a member of the tree"
	}
	r := trend.Result{Verdict: trend.Leak, Leak: true, Reason: reason, Points: c.n,
		Min: c.min, Max: c.max, Mean: c.mean(), First: c.first, Last: c.lastVal}
	if len(c.t) > 0 {
		r.From, r.To = c.t[0], c.t[len(c.t)-1]
	}
	return MetricVerdict{Result: r, Unit: units[OOMKills]}, true
}

// judged are the metrics the verdict rests on, in report order, and the
// memory metric among them.
func (s *Series) judged() (memory Metric, judged []Metric) {
	memory = HostMemory
	judged = []Metric{HostMemory, DiskUsed}
	if s.hasTree {
		memory = TreeMemory
		judged = []Metric{TreeMemory, TreePSS, Handles, Threads, Processes, Zombies, DiskUsed, TreeCPU}
	}
	if s.hasCgroup {
		memory = CgroupMemory
		judged = append([]Metric{CgroupMemory}, judged...)
	}
	return memory, judged
}

// Leaks judges the series as it stands by the rules of Analyze's verdict
// and returns the metrics that would fail the run now, leaks then
// degradations, and every metric's verdict, without the rest of the
// analysis: for deciding during a run that its verdict is in.
func (s *Series) Leaks(o Options) ([]Metric, map[Metric]MetricVerdict) {
	_, verdicts, leaks, degradations, _ := s.judgeAll(o)
	return append(leaks, degradations...), verdicts
}

func judge(c *column, m Metric, o Options) MetricVerdict {
	to, th, judged := trendOptions(m, o)
	r := trend.Analyze(c.points(), to)
	v := MetricVerdict{Result: r, Unit: units[m]}
	if judged {
		v.Threshold = &th
	}
	return v
}

// trendOptions are the trend settings m is judged with, its threshold,
// and whether it is judged at all (a threshold that is off is +Inf here).
func trendOptions(m Metric, o Options) (to trend.Options, threshold float64, judged bool) {
	if o.Thresholds == nil {
		o.Thresholds = DefaultThresholds
	}
	th, judged := o.Thresholds[m]
	judged = judged && !math.IsInf(th, 1) && !math.IsNaN(th)
	to = trend.Options{
		Threshold: th,
		Warmup:    o.Warmup.Seconds(),
		Envelope:  floorMetrics[m],
		Rate:      rateMetrics[m],
		Unit:      units[m],
		MinSpan:   o.MinSpan.Seconds(),
	}
	if o.Warmup < 0 {
		to.Warmup = -1
	}
	if !judged {
		to.Threshold = math.Inf(1)
	}
	return to, th, judged
}

func overall(a *Analysis, memory Metric) trend.Verdict {
	if a.LeakDetected {
		return trend.Leak
	}
	if a.DegradationDetected {
		return trend.Degradation
	}
	if v, ok := a.Metrics[memory]; !ok || v.Verdict == trend.Insufficient {
		return trend.Insufficient
	}
	for m, v := range a.Metrics {
		if v.Verdict == trend.Plateaued && a.treeFigure(m) {
			return trend.Plateaued
		}
	}
	return trend.NoLeak
}

// treeFigure says whether m's verdict speaks for the run: every judged
// figure but host memory beside a known tree, which is judged for host
// findings alone.
func (a *Analysis) treeFigure(m Metric) bool {
	return m != HostMemory || a.Memory.Source == HostMemory || a.Memory.Source == ""
}

func (c *column) mean() float64 {
	if c.n == 0 {
		return 0
	}
	return c.sum / float64(c.n)
}

func (c *column) points() []trend.Point {
	pts := make([]trend.Point, len(c.v))
	for i := range c.v {
		pts[i] = trend.Point{T: c.t[i], V: c.v[i]}
	}
	return pts
}
