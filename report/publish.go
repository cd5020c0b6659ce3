package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Publication says where a run's results go. Every field is optional: an
// empty one skips that output.
type Publication struct {
	// Summary takes the verdict and its numbers for people, each line
	// prefixed "soakrun: " and written in one Write (stderr).
	Summary io.Writer
	// Annotations takes GitHub workflow commands for the run's problems: an
	// error for a leak, a warning for a timeout and for leftovers (stdout
	// on GitHub Actions).
	Annotations io.Writer
	// AnalysisPath is written with the analysis as JSON.
	AnalysisPath string
	// HTMLPath is written with the report page.
	HTMLPath string
	// JobSummaryPath is appended with the markdown summary
	// ($GITHUB_STEP_SUMMARY).
	JobSummaryPath string
}

// Publish writes every result of a run from its analysis and series: the
// summary and the annotations first, as they need no disk, then the job
// summary, the page, and the analysis file last, so its run section counts
// the summary and annotation lines that could not be written. One failure
// stops none of the others; their errors are joined.
func (a *Analysis) Publish(s *Series, p Publication) error {
	dropped := 0
	line := func(w io.Writer, text string) {
		if _, err := io.WriteString(w, text); err != nil {
			dropped++
		}
	}
	if p.Summary != nil {
		for l := range strings.Lines(a.Summary() + "\n") {
			line(p.Summary, "soakrun: "+l)
		}
	}
	if p.Annotations != nil {
		for _, c := range a.annotations() {
			line(p.Annotations, c)
		}
	}
	if a.Run != nil {
		a.Run.OutputLinesDropped += dropped
	}
	var errs []error
	if p.JobSummaryPath != "" {
		errs = append(errs, appendFile(p.JobSummaryPath, a.Markdown(s)+"\n"))
	}
	if p.HTMLPath != "" {
		errs = append(errs, a.writeHTMLFile(s, p.HTMLPath))
	}
	if p.AnalysisPath != "" {
		errs = append(errs, a.WriteFile(p.AnalysisPath))
	}
	return errors.Join(errs...)
}

// writeHTMLFile renders the page in memory first, so a failed render
// leaves no half page.
func (a *Analysis) writeHTMLFile(s *Series, path string) error {
	var b bytes.Buffer
	if err := a.WriteHTML(&b, s); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("job summary: %w", err)
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("job summary: %w", err)
	}
	return nil
}

// annotations are the run's problems as GitHub workflow commands, one line
// each.
func (a *Analysis) annotations() []string {
	var out []string
	annotate := func(level, title, msg string) {
		out = append(out, fmt.Sprintf("::%s title=%s::%s\n", level, escapeProperty(title), escapeData(msg)))
	}
	switch {
	case a.LeakDetected:
		annotate("error", "soakrun: leak", a.Headline().Reasons(nil))
	case a.DegradationDetected:
		annotate("error", "soakrun: CPU degradation", a.Headline().Reasons(nil))
	}
	if line := a.Headline().HostLine(nil); line != "" {
		annotate("warning", "soakrun: host finding", line)
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
	return out
}

// escapeData and escapeProperty follow the workflow-command encoding of
// @actions/core, so a message cannot end the command early.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
