package report

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/soakrun/soakrun/samples"
)

// service is one synthetic run of a service: memory under a GC sawtooth,
// CPU wandering with the host's other load, open handles; or, as the old
// monitor recorded, the host's memory alone.
type service struct {
	hours, interval float64 // length, and seconds between samples
	// floor, cpu and fds add to the service's own steady figures, by hours
	// into the run.
	floor, cpu, fds func(h float64) float64
	hostOnly        bool
}

func flatly(float64) float64 { return 0 }

// series samples s. base is the service's own steady state, shared by the
// runs of a pair: its memory floor and CPU level. Everything else, the GC
// cycle and its phase, the noise and the host's wandering, is the run's.
func (s service) series(r *rand.Rand, baseMB, baseCPU float64) *Series {
	for _, f := range []*func(float64) float64{&s.floor, &s.cpu, &s.fds} {
		if *f == nil {
			*f = flatly
		}
	}
	out := NewSeries()
	cycle := 480 + 420*r.Float64() // seconds between collections
	phase := r.Float64()
	jitter := 2 * r.NormFloat64() // what differs from run to run
	sd := 2 + 2*r.Float64()
	host := 0.0
	for t := 0.0; t <= s.hours*3600; t += s.interval {
		h := t / 3600
		_, frac := math.Modf(t/cycle + phase)
		mem := baseMB + jitter + s.floor(h) + 100*frac + sd*r.NormFloat64()
		if r.Float64() < s.interval/240 { // the neighbours' load changes every 4 minutes
			host = 5 * float64(r.IntN(2))
		}
		snap := &samples.Snapshot{TimestampUnix: 1.7e9 + t, Kind: samples.KindInterval,
			MemoryUsedMB: fp(3000 + mem + 10*r.NormFloat64()), DiskUsedGB: fp(50), CPUPercent: fp(30)}
		if !s.hostOnly {
			snap.ProcessMemoryMB = fp(mem)
			snap.ProcessCPUPercent = fp(max(0, baseCPU+s.cpu(h)+host+3*r.NormFloat64()))
			snap.ProcessHandles = ip(40 + int(s.fds(h)) + r.IntN(3))
			snap.ProcessThreads, snap.ProcessCount, snap.ProcessZombies = ip(12), ip(2), ip(0)
		}
		out.Add(snap)
	}
	return out
}

// comparePair is a labelled pair of runs.
type comparePair struct {
	name      string
	want      Change
	base, new service
}

var day = service{hours: 24, interval: 60}

func with(s service, f func(*service)) service { f(&s); return s }

var comparePairs = []comparePair{
	{"same, twice", Same, day, day},
	{"same, 24 h against 6 h every 10 s", Same, day, service{hours: 6, interval: 10}},
	{"same, 2 h every 5 s against 24 h", Same, service{hours: 2, interval: 5}, day},
	{"same leak in both, 24 h and 12 h", Same,
		with(day, func(s *service) { s.floor = func(h float64) float64 { return 20 * h } }),
		service{hours: 12, interval: 30, floor: func(h float64) float64 { return 20 * h }}},
	{"new leaks 15 MB/h", Worse, day, with(day, func(s *service) { s.floor = func(h float64) float64 { return 15 * h } })},
	{"new leaks 40 MB/h in 4 h", Worse, day, service{hours: 4, interval: 10, floor: func(h float64) float64 { return 40 * h }}},
	{"new floor 50 MB higher", Worse, day, with(day, func(s *service) { s.floor = func(float64) float64 { return 50 } })},
	{"new CPU 20 points higher", Worse, day, with(day, func(s *service) { s.cpu = func(float64) float64 { return 20 } })},
	{"new leaks handles 30/h", Worse, day, with(day, func(s *service) { s.fds = func(h float64) float64 { return 30 * h } })},
	{"leak fixed", Better, with(day, func(s *service) { s.floor = func(h float64) float64 { return 20 * h } }), day},
	{"floor 50 MB lower", Better, with(day, func(s *service) { s.floor = func(float64) float64 { return 50 } }), day},
	{"psutil monitor's file, same", Same, service{hours: 24, interval: 60, hostOnly: true}, day},
	{"psutil monitor's file, new leaks", Worse, service{hours: 24, interval: 60, hostOnly: true},
		with(day, func(s *service) { s.floor = func(h float64) float64 { return 25 * h } })},
}

// TestCompareCorpus prints how Compare does on the labelled pairs and
// holds its precision and recall for "worse" at 0.95 or more.
func TestCompareCorpus(t *testing.T) {
	var tp, fp, fn, tn, right, all int
	for _, pair := range comparePairs {
		h := fnv.New64a()
		h.Write([]byte(pair.name))
		got := map[Change]int{}
		for seed := range uint64(5) {
			r := rand.New(rand.NewPCG(seed, h.Sum64()))
			baseMB, baseCPU := 280+40*r.Float64(), 10+10*r.Float64()
			c := Compare(pair.base.series(r, baseMB, baseCPU), pair.new.series(r, baseMB, baseCPU), CompareOptions{Options: Options{Warmup: -1}})
			got[c.Verdict]++
			all++
			if c.Verdict == pair.want {
				right++
			} else {
				t.Logf("MISS %s, seed %d: %s; memory: %s %+v %+v", pair.name, seed, c.Summary(), c.Metrics[TreeMemory].Reason, c.Metrics[TreeMemory].Base, c.Metrics[TreeMemory].New)
			}
			switch worse := c.Verdict == Worse; {
			case pair.want == Worse && worse:
				tp++
			case pair.want == Worse:
				fn++
			case worse:
				fp++
			default:
				tn++
			}
		}
		t.Logf("%-40s want %-7s got %v", pair.name, pair.want, fmt.Sprint(got))
	}
	precision, recall := ratio(tp, tp+fp), ratio(tp, tp+fn)
	t.Logf("worse: precision %.3f, recall %.3f (TP %d, FP %d, FN %d, TN %d); all three verdicts right on %d of %d",
		precision, recall, tp, fp, fn, tn, right, all)
	if precision < 0.95 || recall < 0.95 {
		t.Errorf("precision %.3f, recall %.3f; want both >= 0.95", precision, recall)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
