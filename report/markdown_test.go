package report

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/samples"
)

var (
	mermaidRe = regexp.MustCompile("(?s)```mermaid\n(.*?)```")
	xAxisRe   = regexp.MustCompile(`(?m)^    x-axis "hours" \[(.*)\]$`)
	yAxisRe   = regexp.MustCompile(`(?m)^    y-axis "MB" (\S+) --> (\S+)$`)
	lineRe    = regexp.MustCompile(`(?m)^    line \[(.*)\]$`)
	labelRe   = regexp.MustCompile(`^"(\d+\.\d+)"$`)
)

// checkMermaid checks md's chart against the xychart-beta grammar and
// returns its hour labels and values.
func checkMermaid(t *testing.T, md, title string) (hours, values []float64) {
	t.Helper()
	blocks := mermaidRe.FindAllStringSubmatch(md, -1)
	if len(blocks) != 1 {
		t.Fatalf("%d mermaid blocks, want 1:\n%s", len(blocks), md)
	}
	block := blocks[0][1]
	if !strings.HasPrefix(block, "xychart-beta\n    title \""+title+"\"\n") {
		t.Errorf("chart starts %q", block[:min(len(block), 60)])
	}
	x, y, line := xAxisRe.FindStringSubmatch(block), yAxisRe.FindStringSubmatch(block), lineRe.FindStringSubmatch(block)
	if x == nil || y == nil || line == nil {
		t.Fatalf("chart lacks an x-axis, y-axis or line:\n%s", block)
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(x[1], ", ") {
		m := labelRe.FindStringSubmatch(l)
		if m == nil || seen[m[1]] {
			t.Fatalf("x label %s is not a quoted number, or repeats (mermaid merges equal categories)", l)
		}
		seen[m[1]] = true
		h, _ := strconv.ParseFloat(m[1], 64)
		if len(hours) > 0 && h <= hours[len(hours)-1] {
			t.Errorf("x labels do not increase at %s", l)
		}
		hours = append(hours, h)
	}
	for _, f := range strings.Split(line[1], ", ") {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || strings.ContainsAny(f, "eE") || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("line value %q is not a plain number", f)
		}
		values = append(values, v)
	}
	if len(values) > maxMermaidPoints || len(values) == 0 {
		t.Errorf("%d points, want 1..%d", len(values), maxMermaidPoints)
	}
	if len(hours) != len(values) {
		t.Errorf("%d x labels for %d values", len(hours), len(values))
	}
	lo, err1 := strconv.ParseFloat(y[1], 64)
	hi, err2 := strconv.ParseFloat(y[2], 64)
	if err1 != nil || err2 != nil || !(lo < hi) {
		t.Fatalf("y range %s --> %s", y[1], y[2])
	}
	for _, v := range values {
		if v <= lo || v >= hi {
			t.Errorf("value %v on or outside the padded y range %v..%v", v, lo, hi)
		}
	}
	return hours, values
}

func TestMarkdownLeak(t *testing.T) {
	s := run(func(h float64) float64 { return 200 + 30*h }, flat)
	s.names["a|b <i>x</i>"] = s.names["leaker"]
	delete(s.names, "leaker")
	a := Analyze(s, Options{Warmup: -1})
	a.Run = &RunFacts{Containment: "process group: /sys/fs/cgroup is read-only", ExitCode: 0, TimedOut: true, SamplesWritten: 722, LeftoversKilled: []string{"sleep", "sh"}, SoakrunCPUSeconds: 2, SoakrunPeakRSSMB: 11}
	md := a.Markdown(s)

	first, _, _ := strings.Cut(md, "\n")
	if !strings.HasPrefix(first, "**Verdict: LEAK** in process_memory_mb — floor rose 30.0 MB/h") {
		t.Errorf("first line %q", first)
	}
	for _, want := range []string{"\n\n| Figure | Value |\n|---|---|\n", "| Verdict | `leak` |", "| Duration | 2.0 h |", "| Samples | 723 |",
		"| Tree memory | min 200.0 / max 298.6 / avg 249.3 MB |", "| Memory trend | +30.00 MB/h (confidence \\>99.9%) |",
		"| Hours to host memory exhaustion | 333.3 h |", "| Timed out | yes |", "| Containment | process group: /sys/fs/cgroup is read-only |", "| Leftovers killed | 2: sleep, sh |",
		"| Samples dropped | 0 of 722 |", "| soakrun CPU | 2.0 s |", "| soakrun peak RSS | 11.0 MB |",
		"| Top grower | a\\|b \\<i\\>x\\</i\\> (+30.00 MB/h, leak) |"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	// Every row of the figures has its two cells: no value breaks out.
	figures, _, _ := strings.Cut(md[strings.Index(md, "| Figure"):], "\n\n")
	unescapedPipe := regexp.MustCompile(`(^|[^\\])\|`)
	rows := strings.Split(figures, "\n")
	for _, l := range rows {
		if n := len(unescapedPipe.FindAllString(l, -1)); n != 3 {
			t.Errorf("row %q has %d cell borders, want 3", l, n)
		}
	}
	if len(rows) < 15 {
		t.Errorf("%d rows of figures", len(rows))
	}

	hours, values := checkMermaid(t, md, "Tree memory (MB)")
	if len(hours) != 21 || hours[0] != 0 || hours[len(hours)-1] != 2 {
		t.Errorf("hours %v, want 0, 0.1 .. 2.0", hours)
	}
	if values[len(values)-1]-values[0] < 45 {
		t.Errorf("chart rises %v MB, the run leaked 60", values[len(values)-1]-values[0])
	}
}

func TestMarkdownLongRunKeepsFiftyPoints(t *testing.T) {
	s := NewSeries()
	for i := 0; i <= 72*60; i++ {
		s.Add(&samples.Snapshot{TimestampUnix: 1.7e9 + float64(i)*60, MemoryUsedMB: fp(4000 + math.Mod(float64(i), 17)), CPUPercent: fp(5)})
	}
	md := Analyze(s, Options{Warmup: -1}).Markdown(s)
	if !strings.HasPrefix(md, "**Verdict: NO LEAK** — memory_used_mb: ") {
		t.Errorf("first line %q", md[:min(len(md), 80)])
	}
	hours, _ := checkMermaid(t, md, "Host memory used (MB)")
	if n := len(hours); n < 40 || hours[n-1] < 70 {
		t.Errorf("%d points up to %v h, want up to 50 over 72 h", n, hours[n-1])
	}
}

func TestMarkdownShortAndEmpty(t *testing.T) {
	s := NewSeries()
	for i := range 3 {
		s.Add(&samples.Snapshot{TimestampUnix: 1e9 + float64(i)*10, MemoryUsedMB: fp(3000), CPUPercent: fp(1)})
	}
	md := Analyze(s, Options{Warmup: -1}).Markdown(s)
	if !strings.HasPrefix(md, "**Verdict: INSUFFICIENT DATA** — memory_used_mb: only ") || !strings.Contains(md, "| Verdict | `insufficient_data` |") {
		t.Errorf("summary:\n%s", md)
	}
	if hours, _ := checkMermaid(t, md, "Host memory used (MB)"); len(hours) > 3 {
		t.Errorf("%d points from 3 samples", len(hours))
	}

	empty := NewSeries()
	md = Analyze(empty, Options{}).Markdown(empty)
	if !strings.HasPrefix(md, "**Verdict: INSUFFICIENT DATA** — memory_used_mb: no memory figures\n") ||
		strings.Contains(md, "```") || !strings.Contains(md, "Host memory used (MB): no data.") {
		t.Errorf("summary of nothing:\n%s", md)
	}
}
