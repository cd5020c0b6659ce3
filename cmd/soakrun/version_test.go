package main

import (
	"path/filepath"
	"testing"

	"github.com/soakrun/soakrun/internal/buildinfo"
	"github.com/soakrun/soakrun/internal/testproc"
)

// The build's version is in every sample and in the analysis.
func TestVersionInSamplesAndAnalysis(t *testing.T) {
	t.Parallel()
	out := filepath.Join(testproc.TempDir(t), "run.jsonl")
	cmd := soakrun(t, []string{"--interval", "50ms", "-o", out, "-q"}, "sleep", "300ms")
	if code, stderr := exitCode(t, cmd); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	lines := testproc.ReadJSONL(t, out)
	for n, l := range lines {
		if v, ok := l["soakrun_version"].(string); !ok || v != buildinfo.Version {
			t.Fatalf("sample %d: soakrun_version %v, want %q", n, l["soakrun_version"], buildinfo.Version)
		}
	}
	if len(lines) < 2 {
		t.Fatalf("%d samples", len(lines))
	}
	if v := analysisOf(t, out)["soakrun_version"]; v != buildinfo.Version || buildinfo.Version == "" {
		t.Errorf("analysis soakrun_version %v, want %q", v, buildinfo.Version)
	}
}
