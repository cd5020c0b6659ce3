package report

import (
	"math"
	"time"

	"github.com/soakrun/soakrun/report/trend"
)

// Thresholds are the growth rates, per hour and in each metric's unit, at
// and above which a trend is a leak. A metric missing from the map, or set
// to +Inf, is described but never judged a leak.
type Thresholds map[Metric]float64

// DefaultThresholds are soakrun's defaults: the old monitor's 10 MB/h for
// memory; for counts, a rate that no steady service shows over hours but a
// slow leak reaches within a soak (one fd per six minutes, a thread per
// twelve, a process or zombie per half hour); a gigabyte an hour of disk;
// for the tree's CPU, DefaultCPUThreshold.
var DefaultThresholds = Thresholds{
	TreeMemory: 10, HostMemory: 10,
	Handles: 10, Threads: 5, Processes: 2, Zombies: 2,
	DiskUsed: 1, TreeCPU: DefaultCPUThreshold,
}

// DefaultCPUThreshold is the creep of the tree's CPU, in percentage points
// of one core per hour, that is a degradation: 48 points a day. It sits
// between what steady services do and what the old monitor's second
// scenario does (10–15% to 40–70% in 16 h: 3 points an hour). Measured for
// 20 minutes each on a shared two-core host (testdata/cpu), the level of a
// Python http.server under a request loop moved at most 0.5 points between
// 5-minute stretches, a Go program's not at all and stress-ng's at 20%
// 5 points as its neighbours' load came and went: moves that are bounded,
// a fraction of a point an hour over a day. Short runs are guarded by the
// rise that counts: five hours' worth of the threshold (package trend).
const DefaultCPUThreshold = 2.0

// units names each judged metric's unit for people.
var units = map[Metric]string{
	TreeMemory: "MB", HostMemory: "MB", Handles: "handles", Threads: "threads",
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
}

// Analysis is what a run's series says, written beside the JSONL as
// resources.analysis.json. The first keys are the old monitor's.
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
	TopGrower           *Grower                  `json:"top_grower,omitempty"`
	// TopGrowers are, per figure followed by name (memory, handles,
	// threads, CPU), the executables whose sum grew fastest, fastest first.
	TopGrowers map[Metric][]NameTrend `json:"top_growers,omitempty"`

	Run   *RunFacts  `json:"run,omitempty"`
	Input *ReadStats `json:"input,omitempty"`
}

// MemoryStats are the old monitor's memory keys, over the tree's memory
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

// CPUStats are the host's CPU percent, as the old monitor reported.
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
	if o.Thresholds == nil {
		o.Thresholds = DefaultThresholds
	}
	a := &Analysis{
		SnapshotCount: s.count,
		DurationHours: (s.last - s.first) / 3600,
		Metrics:       map[Metric]MetricVerdict{},
		Leaks:         []Metric{},
		Degradations:  []Metric{},
	}
	memory := HostMemory
	judged := []Metric{HostMemory, DiskUsed}
	if s.hasTree {
		memory = TreeMemory
		judged = []Metric{TreeMemory, Handles, Threads, Processes, Zombies, DiskUsed, TreeCPU}
	}
	for _, m := range judged {
		c := s.cols[m]
		if c.n == 0 {
			continue
		}
		v := judge(c, m, o)
		a.Metrics[m] = v
		switch v.Verdict {
		case trend.Leak:
			a.Leaks = append(a.Leaks, m)
		case trend.Degradation:
			a.Degradations = append(a.Degradations, m)
		}
	}

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

	a.TopGrower, a.TopGrowers = growers(s, o)
	a.LeakDetected = len(a.Leaks) > 0
	a.DegradationDetected = len(a.Degradations) > 0
	a.Verdict = overall(a, memory)
	return a
}

// Fails says whether the verdict fails the run: a leak or a degradation.
func (a *Analysis) Fails() bool { return a.LeakDetected || a.DegradationDetected }

func judge(c *column, m Metric, o Options) MetricVerdict {
	th, judged := o.Thresholds[m]
	judged = judged && !math.IsInf(th, 1) && !math.IsNaN(th)
	to := trend.Options{
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
	r := trend.Analyze(c.points(), to)
	v := MetricVerdict{Result: r, Unit: units[m]}
	if judged {
		v.Threshold = &th
	}
	return v
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
	for _, v := range a.Metrics {
		if v.Verdict == trend.Plateaued {
			return trend.Plateaued
		}
	}
	return trend.NoLeak
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
