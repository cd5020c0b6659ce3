package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/soakrun/soakrun/report"
)

// reportPath is where the HTML report of the series at output goes:
// resources.jsonl → resources.report.html.
func reportPath(output string) string {
	return strings.TrimSuffix(output, ".jsonl") + ".report.html"
}

// writeHTML writes the report page for people.
func writeHTML(a *report.Analysis, s *report.Series, path string) error {
	var b bytes.Buffer
	if err := a.WriteHTML(&b, s); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// publish writes what a run leaves besides the JSONL: the analysis file,
// the HTML report, and on GitHub Actions the job summary and annotations.
// Each failure is reported and none stops the others.
func publish(a *report.Analysis, s *report.Series, output string) {
	for _, err := range []error{
		a.WriteFile(analysisPath(output)),
		writeHTML(a, s, reportPath(output)),
		githubSummary(a, s),
	} {
		if err != nil {
			logLine("%v", err)
		}
	}
	githubAnnotations(a)
}

// githubSummary appends the markdown summary to the job page when GitHub
// Actions asks for one ($GITHUB_STEP_SUMMARY).
func githubSummary(a *report.Analysis, s *report.Series) error {
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("job summary: %w", err)
	}
	_, err = f.WriteString(a.Markdown(s) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("job summary: %w", err)
	}
	return nil
}

// githubAnnotations puts the run's problems on the workflow's page:
// ::error:: for a leak, ::warning:: for a timeout and for leftovers.
func githubAnnotations(a *report.Analysis) {
	if os.Getenv("GITHUB_ACTIONS") != "true" {
		return
	}
	annotate := func(level, title, msg string) {
		fmt.Fprintf(os.Stdout, "::%s title=%s::%s\n", level, escapeProperty(title), escapeData(msg))
	}
	if a.LeakDetected {
		var parts []string
		for _, m := range a.Leaks {
			parts = append(parts, fmt.Sprintf("%s: %s", m, a.Metrics[m].Reason))
		}
		annotate("error", "soakrun: leak", strings.Join(parts, "; "))
	}
	if a.DegradationDetected {
		var parts []string
		for _, m := range a.Degradations {
			parts = append(parts, fmt.Sprintf("%s: %s", m, a.Metrics[m].Reason))
		}
		annotate("error", "soakrun: CPU degradation", strings.Join(parts, "; "))
	}
	if r := a.Run; r != nil {
		if r.TimedOut {
			took := time.Duration(a.DurationHours * float64(time.Hour)).Round(time.Second)
			annotate("warning", "soakrun: timeout", fmt.Sprintf("the command was stopped by the timeout after %s", took))
		}
		if len(r.LeftoversKilled) > 0 {
			annotate("warning", "soakrun: leftovers", fmt.Sprintf("the command left %d process(es) running, stopped by soakrun: %s",
				len(r.LeftoversKilled), strings.Join(r.LeftoversKilled, ", ")))
		}
	}
}

// escapeData and escapeProperty follow the workflow-command encoding of
// @actions/core, so a message cannot end the command early.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
