package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/soakrun/soakrun/internal/buildinfo"
	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/soak"
)

// The build's version is in every sample and in the analysis.
func TestVersionInSamplesAndAnalysis(t *testing.T) {
	out := filepath.Join(testproc.TempDir(t), "run.jsonl")
	cmd := soakrun(t, []string{"--interval", "50ms", "-o", out, "-q"}, "sleep", "300ms")
	if code, stderr := exitCode(t, cmd); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		var s struct {
			Version *string `json:"soakrun_version"`
		}
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil || s.Version == nil || *s.Version != buildinfo.Version {
			t.Fatalf("sample %d: soakrun_version %v (%v), want %q", n, s.Version, err, buildinfo.Version)
		}
	}
	if n < 2 {
		t.Fatalf("%d samples", n)
	}
	b, err := os.ReadFile(soak.AnalysisPath(out))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Version string `json:"soakrun_version"`
	}
	if err := json.Unmarshal(b, &a); err != nil || a.Version != buildinfo.Version || buildinfo.Version == "" {
		t.Errorf("analysis soakrun_version %q (%v), want %q", a.Version, err, buildinfo.Version)
	}
}
