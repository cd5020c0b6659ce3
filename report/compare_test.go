package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

// A run that leaks against a steady baseline is worse, and every output
// says so: the JSON, the line for stderr, the markdown block and the page
// with both runs on each metric's chart.
func TestCompareOutputs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := day.series(r, 300, 15)
	next := with(day, func(s *service) { s.floor = func(h float64) float64 { return 20 * h } }).series(r, 300, 15)
	c := Compare(base, next, CompareOptions{Options: Options{Warmup: -1}})
	if c.Verdict != Worse || len(c.Worse) != 1 || c.Worse[0] != TreeMemory {
		t.Fatalf("verdict %s, worse %v: %s", c.Verdict, c.Worse, c.Summary())
	}
	mc := c.Metrics[TreeMemory]
	if mc.Slope.Verdict != Worse || mc.Slope.Change < 17 || mc.Slope.Change > 23 {
		t.Errorf("memory: slope %+v, level %+v", mc.Slope, mc.Level)
	}
	if c.Base.IntervalSeconds != 60 || c.New.DurationHours != 24 || !c.Base.TreeFigures {
		t.Errorf("shapes %+v %+v", c.Base, c.New)
	}
	b, err := c.JSON()
	var back map[string]any
	if err != nil || json.Unmarshal(b, &back) != nil || back["verdict"] != "worse" {
		t.Fatalf("JSON (%v): %.300s", err, b)
	}
	if s := c.Summary(); strings.Contains(s, "\n") || !strings.HasPrefix(s, "compared with the baseline: WORSE in process_memory_mb: slope +") {
		t.Errorf("summary %q", s)
	}
	if md := c.Markdown(); !strings.HasPrefix(md, "**Compared with the baseline: WORSE**") || !strings.Contains(md, "| `process_memory_mb` (MB) | worse |") {
		t.Errorf("markdown:\n%s", md)
	}

	dir := testproc.TempDir(t)
	page, summary := filepath.Join(dir, "cmp.html"), filepath.Join(dir, "summary.md")
	var stderr bytes.Buffer
	if err := c.Publish(base, next, Publication{Summary: &stderr, HTMLPath: page, JobSummaryPath: summary}); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(page)
	if err != nil || strings.Count(string(html), "<svg") != len(c.Metrics) || strings.Count(string(html), ">new run<") != len(c.Metrics) {
		t.Errorf("page (%v): %d charts for %d metrics", err, strings.Count(string(html), "<svg"), len(c.Metrics))
	}
	if md, err := os.ReadFile(summary); err != nil || !strings.HasPrefix(string(md), "**Compared with the baseline: WORSE**") {
		t.Errorf("job summary (%v): %.80s", err, md)
	}
	if !strings.HasPrefix(stderr.String(), "soakrun: compared with the baseline: WORSE") {
		t.Errorf("stderr %q", stderr.String())
	}
}

// Runs too short to measure compare as insufficient data, and still
// encode.
func TestCompareInsufficient(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	short := service{hours: 0.05, interval: 10}
	c := Compare(short.series(r, 300, 15), day.series(r, 300, 15), CompareOptions{Options: Options{Warmup: -1}})
	if c.Verdict != Incomparable || c.Metrics[TreeMemory].Verdict != Incomparable || !strings.HasPrefix(c.Metrics[TreeMemory].Reason, "baseline: ") {
		t.Errorf("verdict %s: %s", c.Verdict, c.Summary())
	}
	if _, err := c.JSON(); err != nil {
		t.Error(err)
	}
	if empty := Compare(NewSeries(), NewSeries(), CompareOptions{}); empty.Verdict != Incomparable {
		t.Errorf("two empty series: %s", empty.Verdict)
	}
}
