package main

import (
	"os"
	"strings"

	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/supervisor"
)

// reportPath is where the HTML report of the series at output goes:
// resources.jsonl → resources.report.html.
func reportPath(output string) string {
	return strings.TrimSuffix(output, ".jsonl") + ".report.html"
}

// publish writes what a run leaves besides the JSONL, from its analysis:
// the summary on stderr (when not quiet, and always for a leak: it is what
// the run was for, and it needs no disk), the analysis file, the HTML
// report, and on GitHub Actions the job summary and annotations. Each
// failure is reported and none stops the others.
func publish(a *report.Analysis, s *report.Series, output string, quiet bool) {
	p := report.Publication{
		AnalysisPath:   analysisPath(output),
		HTMLPath:       reportPath(output),
		JobSummaryPath: os.Getenv("GITHUB_STEP_SUMMARY"),
	}
	if !quiet || a.Fails() {
		p.Summary = os.Stderr
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		p.Annotations = os.Stdout
	}
	// Lines soakrun could not write so far; Publish adds its own.
	a.Run.OutputLinesDropped = out.linesDropped()
	reportErrors(a.Publish(s, p))
}

// reportErrors logs each of a joined error's errors on its own line.
func reportErrors(err error) {
	if err == nil {
		return
	}
	for l := range strings.Lines(err.Error()) {
		logLine("%s", strings.TrimSuffix(l, "\n"))
	}
}

// analysisPath is where the analysis of the series at output goes:
// resources.jsonl → resources.analysis.json.
func analysisPath(output string) string {
	return strings.TrimSuffix(output, ".jsonl") + ".analysis.json"
}

// giveOutputs gives the run's output files to the user the command ran as
// (--as-invoking-user), so the step that started soakrun through sudo owns
// what it wrote.
func giveOutputs(u *supervisor.User, paths ...string) {
	if u != nil {
		reportErrors(u.Chown(paths...))
	}
}
