package soak

import (
	"strings"

	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/supervisor"
)

// The files a run leaves, named from its output: resources.jsonl →
// resources.analysis.json, resources.report.html, resources.evidence/.

// ReportPath is where the HTML report of the series at output goes.
func ReportPath(output string) string {
	return strings.TrimSuffix(output, ".jsonl") + ".report.html"
}

// AnalysisPath is where the analysis of the series at output goes.
func AnalysisPath(output string) string {
	return strings.TrimSuffix(output, ".jsonl") + ".analysis.json"
}

// publish writes what a run leaves besides the JSONL, from its analysis:
// the summary (where the console takes one, and always for a failing
// verdict: it is what the run was for, and it needs no disk), the
// analysis file, the HTML report, and on GitHub Actions the job summary
// and annotations. Each failure is reported and none stops the others.
func publish(a *report.Analysis, s *report.Series, output string, c Console) {
	p := report.Publication{
		AnalysisPath:   AnalysisPath(output),
		HTMLPath:       ReportPath(output),
		JobSummaryPath: c.JobSummary,
		Annotations:    c.Annotations,
	}
	if c.Summary != nil && (!c.SummaryOnFailure || a.Fails()) {
		p.Summary = c.Summary
	}
	if c.Dropped != nil { // lines not written so far; Publish adds its own
		a.Run.OutputLinesDropped = c.Dropped()
	}
	reportErrors(a.Publish(s, p), c)
}

// reportErrors says each of a joined error's errors on its own line.
func reportErrors(err error, c Console) {
	if err == nil {
		return
	}
	for l := range strings.Lines(err.Error()) {
		c.errorf("%s", strings.TrimSuffix(l, "\n"))
	}
}

// giveOutputs gives the run's output files to the user the command ran as
// (Supervisor.User), so the step that started soakrun through sudo owns
// what it wrote.
func giveOutputs(u *supervisor.User, c Console, paths ...string) {
	if u != nil {
		reportErrors(u.Chown(paths...), c)
	}
}
