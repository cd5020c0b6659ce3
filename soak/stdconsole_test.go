package soak

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

// On GitHub Actions the standard console also writes annotations on stdout and the
// job summary to $GITHUB_STEP_SUMMARY; --quiet keeps the summary only for
// a failing verdict.
func TestConsoleOnGitHubActions(t *testing.T) {
	summary := filepath.Join(testproc.TempDir(t), "summary.md")
	t.Setenv("GITHUB_ACTIONS", "true")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	c := StdConsole(true)
	if c.Annotations != os.Stdout || c.JobSummary != summary || c.Summary != os.Stderr || !c.SummaryOnFailure || c.Progress != nil {
		t.Errorf("console %+v", c)
	}
	t.Setenv("GITHUB_ACTIONS", "")
	t.Setenv("GITHUB_STEP_SUMMARY", "")
	if c := StdConsole(false); c.Annotations != nil || c.JobSummary != "" || c.SummaryOnFailure || c.Progress == nil {
		t.Errorf("console off GitHub %+v", c)
	}
}
