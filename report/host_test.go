package report

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/samples"
)

// hostOptions judge the 30-second runs of testdata/host as they were run:
// the tree's CPU, which climbs as the writing loop starts, left out.
func hostOptions(t *testing.T, judgeHost bool) Options {
	th, err := ParseThresholds("cpu=off")
	if err != nil {
		t.Fatal(err)
	}
	return Options{Thresholds: th, MinSpan: 10e9, JudgeHost: judgeHost}
}

func readHost(t *testing.T, name string) *Series {
	s, _, err := ReadFile(filepath.Join("..", "testdata", "host", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The disk grew 158 GB/h while the tree wrote nothing: a host finding on a
// line of its own, which fails the run only with JudgeHost.
func TestDiskFilledBesideTheTreeIsAHostFinding(t *testing.T) {
	a := Analyze(readHost(t, "outside_writer.jsonl"), hostOptions(t, false))
	d := a.Metrics[DiskUsed]
	if a.Fails() || a.Verdict != "no_leak" || !slices.Equal(a.HostFindings, []Metric{DiskUsed}) || !d.HostFinding {
		t.Fatalf("verdict %s, leaks %v, host findings %v: %s", a.Verdict, a.Leaks, a.HostFindings, d.Reason)
	}
	if d.SlopePerHour < 100 || d.Tree == nil || d.Tree.Accounts || d.Tree.Source != TreeWritten || d.Tree.PerHour != 0 {
		t.Errorf("disk %+v, tree's part %+v", d.Result, d.Tree)
	}
	lines := strings.Split(a.Summary(), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "verdict: NO LEAK") ||
		!strings.HasPrefix(lines[1], "host finding: disk_used_gb — median rose ") || !strings.HasSuffix(lines[1], "the tree wrote 0.0 GB/h (process_io_write_bytes): not the tree's") {
		t.Errorf("summary:\n%s", a.Summary())
	}
	if md := a.Markdown(nil); !strings.Contains(md, "\n\nhost finding: disk\\_used\\_gb") && !strings.Contains(md, "\n\nhost finding: disk_used_gb") {
		t.Errorf("job summary has no host finding line:\n%.400s", md)
	}
	if ann := strings.Join(a.annotations(), ""); !strings.Contains(ann, "::warning title=soakrun%3A host finding::host finding: disk_used_gb") || strings.Contains(ann, "::error") {
		t.Errorf("annotations %q", ann)
	}
	b, _ := a.JSON()
	var back struct {
		HostFindings []string `json:"host_findings"`
		Metrics      map[string]struct {
			Verdict     string    `json:"verdict"`
			HostFinding bool      `json:"host_finding"`
			Tree        *TreePart `json:"tree"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(b, &back); err != nil || !slices.Equal(back.HostFindings, []string{"disk_used_gb"}) ||
		!back.Metrics["disk_used_gb"].HostFinding || back.Metrics["disk_used_gb"].Verdict != "leak" || back.Metrics["disk_used_gb"].Tree == nil {
		t.Errorf("JSON (%v): %+v", err, back)
	}

	a = Analyze(readHost(t, "outside_writer.jsonl"), hostOptions(t, true))
	h := a.Headline()
	if !a.Fails() || a.Verdict != "leak" || !slices.Equal(a.Leaks, []Metric{DiskUsed}) || !slices.Equal(a.HostFindings, []Metric{DiskUsed}) ||
		!strings.HasPrefix(h.Sentence(nil), "LEAK in disk_used_gb — ") || h.HostLine(nil) != "" {
		t.Errorf("judged: verdict %s, leaks %v, host findings %v, %q, host line %q", a.Verdict, a.Leaks, a.HostFindings, h.Sentence(nil), h.HostLine(nil))
	}
	if failing, _ := readHost(t, "outside_writer.jsonl").Leaks(hostOptions(t, true)); !slices.Equal(failing, []Metric{DiskUsed}) {
		t.Errorf("live judgement with JudgeHost: %v", failing)
	}
	if failing, _ := readHost(t, "outside_writer.jsonl").Leaks(hostOptions(t, false)); len(failing) != 0 {
		t.Errorf("live judgement: %v fail the run", failing)
	}
}

// The tree wrote what the disk grew: a leak, the tree's, the writer named.
func TestDiskFilledByTheTreeIsItsLeak(t *testing.T) {
	a := Analyze(readHost(t, "tree_writer.jsonl"), hostOptions(t, false))
	d := a.Metrics[DiskUsed]
	if !a.Fails() || a.Verdict != "leak" || !slices.Equal(a.Leaks, []Metric{DiskUsed}) || len(a.HostFindings) != 0 || d.HostFinding {
		t.Fatalf("verdict %s, leaks %v, host findings %v: %s", a.Verdict, a.Leaks, a.HostFindings, d.Reason)
	}
	if d.Tree == nil || !d.Tree.Accounts || d.Tree.Writer != "python3" || math.Abs(d.Tree.PerHour-d.SlopePerHour) > 0.1*d.SlopePerHour {
		t.Errorf("disk %.1f GB/h, tree's part %+v", d.SlopePerHour, d.Tree)
	}
	if s := a.Summary(); !strings.HasPrefix(s, "verdict: LEAK in disk_used_gb — median rose ") || !strings.Contains(s, "most of it python3: the tree's") || strings.Contains(s, "host finding") {
		t.Errorf("summary:\n%s", s)
	}
}

// Beside a known tree, host memory that rises while the tree's does not is
// a host finding; one the tree's memory accounts for is the tree's, whose
// own figure carries the verdict.
func TestHostMemoryRiseBesideTheTree(t *testing.T) {
	hostRun := func(tree func(h float64) float64) *Series {
		s := NewSeries()
		for i := 0; i <= 720; i++ {
			h := float64(i) / 360
			m := tree(h) + 40*math.Mod(float64(i), 30)/30
			s.Add(&samples.Snapshot{TimestampUnix: 1e9 + float64(i)*10, Kind: samples.KindInterval,
				MemoryUsedMB: fp(2000 + 300*h + m), DiskUsedGB: fp(50), ProcessMemoryMB: fp(m), ProcessCount: ip(1)})
		}
		return s
	}
	a := Analyze(hostRun(func(float64) float64 { return 200 }), Options{Warmup: -1})
	v := a.Metrics[HostMemory]
	if a.Fails() || !slices.Equal(a.HostFindings, []Metric{HostMemory}) || v.Tree == nil || v.Tree.Source != TreeMemory || math.Abs(v.Tree.PerHour) > 1 {
		t.Errorf("flat tree: leaks %v, host findings %v, host memory %s (%+v)", a.Leaks, a.HostFindings, v.Reason, v.Tree)
	}
	if a.Verdict != "no_leak" || a.Headline().HostLine(nil) == "" {
		t.Errorf("flat tree: verdict %s, host line %q", a.Verdict, a.Headline().HostLine(nil))
	}
	a = Analyze(hostRun(func(h float64) float64 { return 200 + 300*h }), Options{Warmup: -1})
	if _, ok := a.Metrics[HostMemory]; ok || len(a.HostFindings) != 0 || !slices.Equal(a.Leaks, []Metric{TreeMemory}) {
		t.Errorf("growing tree: leaks %v, host findings %v, host memory %+v", a.Leaks, a.HostFindings, a.Metrics[HostMemory])
	}
}

// A sum over live members falls when a writer exits; what it wrote stays
// written.
func TestCounterKeepsWhatWasWritten(t *testing.T) {
	c := newCounter()
	for i, v := range []uint64{0, 100, 300, 50, 80} {
		c.add(float64(i), &v)
	}
	c.add(5, nil)
	if got := c.between(0, 4); got != 330 {
		t.Errorf("written %v, want 330", got)
	}
	if got := c.between(1, 3); got != 200 {
		t.Errorf("written between 1 and 3: %v, want 200", got)
	}
}
