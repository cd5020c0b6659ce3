package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/soak"
)

func TestBuildVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: "2026-11-29T15:02:43Z"}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "7b5b9589414c5405160debc513b03bad2b5ee966"
	for _, tc := range []struct {
		name, override string
		info           *debug.BuildInfo
		short, long    string
	}{
		{"go install @version", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}},
			"v1.2.3", "v1.2.3 (built with go1.26.8)"},
		{"checkout with a pseudo-version", "", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Version: "v0.0.0-20261129150243-7b5b9589414c+dirty"}, Settings: vcs(rev, "true")},
			"v0.0.0-20261129150243-7b5b9589414c+dirty",
			"v0.0.0-20261129150243-7b5b9589414c+dirty (revision " + rev + " (modified), committed 2026-11-29T15:02:43Z, built with go1.26.8)"},
		{"checkout without a pseudo-version", "", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")},
			"devel-7b5b9589414c", "devel-7b5b9589414c (revision " + rev + ", committed 2026-11-29T15:02:43Z, built with go1.26.8)"},
		{"go run", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"devel", "devel (built with go1.26.8)"},
		{"no build info", "", nil, "devel", "devel"},
		{"set at link time", "v2.0.0", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"v2.0.0", "v2.0.0 (built with go1.26.8)"},
	} {
		short, long := buildVersion(tc.override, tc.info)
		if short != tc.short || long != tc.long {
			t.Errorf("%s: got %q, %q\nwant %q, %q", tc.name, short, long, tc.short, tc.long)
		}
	}
}

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
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil || s.Version == nil || *s.Version != version {
			t.Fatalf("sample %d: soakrun_version %v (%v), want %q", n, s.Version, err, version)
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
	if err := json.Unmarshal(b, &a); err != nil || a.Version != version || version == "" {
		t.Errorf("analysis soakrun_version %q (%v), want %q", a.Version, err, version)
	}
}
