package report

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

// failingWriter refuses every write, as a closed pipe does.
type failingWriter struct{ calls int }

func (w *failingWriter) Write([]byte) (int, error) { w.calls++; return 0, errors.New("broken pipe") }

func TestPublishWritesEveryResult(t *testing.T) {
	dir := testproc.TempDir(t)
	s := run(func(h float64) float64 { return 200 + 30*h }, flat)
	a := Analyze(s, Options{Warmup: -1})
	a.Run = &RunFacts{TimedOut: true, LeftoversKilled: []string{"sleep"}, OutputLinesDropped: 2}
	var summary, annotations strings.Builder
	p := Publication{
		Summary: &summary, Annotations: &annotations,
		AnalysisPath:   filepath.Join(dir, "run.analysis.json"),
		HTMLPath:       filepath.Join(dir, "run.report.html"),
		JobSummaryPath: filepath.Join(dir, "summary.md"),
	}
	os.WriteFile(p.JobSummaryPath, []byte("earlier step\n"), 0o644)
	if err := a.Publish(s, p); err != nil {
		t.Fatal(err)
	}
	sentence := a.Headline().Sentence(nil)
	if want := "soakrun: verdict: " + sentence; !strings.HasPrefix(summary.String(), want) || !strings.HasSuffix(summary.String(), "\n") || strings.Contains(summary.String(), "\n\n") {
		t.Errorf("summary %q, want whole lines starting %q", summary.String(), want)
	}
	for _, want := range []string{"::error title=soakrun%3A leak::process_memory_mb — floor rose", "::warning title=soakrun%3A timeout::", "::warning title=soakrun%3A leftovers::the command left 1 process(es) running, stopped by soakrun: sleep"} {
		if !strings.Contains(annotations.String(), want) {
			t.Errorf("annotations %q lack %q", annotations.String(), want)
		}
	}
	md, _ := os.ReadFile(p.JobSummaryPath)
	if !strings.HasPrefix(string(md), "earlier step\n**Verdict: LEAK** in process_memory_mb") {
		t.Errorf("job summary %.80q: want the verdict appended", md)
	}
	page, _ := os.ReadFile(p.HTMLPath)
	if !strings.Contains(string(page), "<b>process_memory_mb</b>: floor rose") {
		t.Error("the page lacks the verdict's reason")
	}
	var got Analysis
	b, _ := os.ReadFile(p.AnalysisPath)
	if err := json.Unmarshal(b, &got); err != nil || got.Verdict != a.Verdict || got.Run == nil || got.Run.OutputLinesDropped != 2 {
		t.Errorf("analysis file: %v, %+v", err, got.Run)
	}
}

// TestPublishGoesOnPastFailures: a summary nobody reads and a page that
// cannot be written stop nothing else; the lost lines are counted in the
// analysis file, and the error names what failed.
func TestPublishGoesOnPastFailures(t *testing.T) {
	dir := testproc.TempDir(t)
	s := run(func(h float64) float64 { return 200 + 30*h }, flat)
	a := Analyze(s, Options{Warmup: -1})
	a.Run = &RunFacts{OutputLinesDropped: 1}
	stderr, stdout := &failingWriter{}, &failingWriter{}
	p := Publication{Summary: stderr, Annotations: stdout,
		HTMLPath:     filepath.Join(dir, "missing", "run.report.html"),
		AnalysisPath: filepath.Join(dir, "run.analysis.json")}
	err := a.Publish(s, p)
	if err == nil || !strings.Contains(err.Error(), "write report") || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Publish = %v, want the page's failure named", err)
	}
	var got Analysis
	b, _ := os.ReadFile(p.AnalysisPath)
	if err := json.Unmarshal(b, &got); err != nil || got.Run == nil {
		t.Fatalf("analysis file not written: %v", err)
	}
	if want := 1 + stderr.calls + stdout.calls; got.Run.OutputLinesDropped != want || stdout.calls != 1 {
		t.Errorf("output_lines_dropped %d, want %d (1 before, %d summary and %d annotation lines)", got.Run.OutputLinesDropped, want, stderr.calls, stdout.calls)
	}
}
