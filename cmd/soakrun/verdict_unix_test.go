//go:build linux || darwin

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A four-second run cannot use per-hour thresholds meant for days; these
// scale them to what a helper does in seconds (memory 0.5 MB/s, one fd or
// thread a second, ten points of CPU a second), far below the leaks and
// far above start-up noise. The disk is left out: it measures whatever
// else the machine is writing (a build beside the test reads as a disk
// leak of 100 GB/h in 4 s).
var liveFlags = append([]string{"--interval", "100ms"}, verdictLiveFlags...)

// verdictLiveFlags are liveFlags' judgement, which soakrun analyze takes too.
var verdictLiveFlags = []string{"--warmup", "1s", "--min-span", "2s",
	"--leak-threshold", "memory=2000,handles=3600,threads=3600,cpu=36000,disk=off"}

// A leak through the binary: exit 3, the verdict on stderr, and soakrun
// analyze reaching the same verdict from the file. (soak's tests find
// each kind of leak, and name its grower.)
func TestLeakThroughTheBinary(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "run.jsonl")
	code, stderr := exitCode(t, soakrun(t, append(slices.Clone(liveFlags), "-o", out), "leak-mem", "8", "4s"))
	a := analysisOf(t, out)
	if code != 3 || a["verdict"] != "leak" {
		t.Errorf("exit %d, verdict %v; want 3, a leak\n%s", code, a["verdict"], stderr)
	}
	if !strings.Contains(stderr, "soakrun: verdict: LEAK in ") || !strings.Contains(stderr, "process_memory_mb — ") {
		t.Errorf("stderr does not give the verdict:\n%s", stderr)
	}
	re := subcommand(t, append([]string{"analyze"}, append(slices.Clone(verdictLiveFlags), out)...)...)
	stdout, err := re.Output()
	if code := re.ProcessState.ExitCode(); code != 3 {
		t.Errorf("analyze exit %d (%v), want 3", code, err)
	}
	var again map[string]any
	if err := json.Unmarshal(stdout, &again); err != nil || again["verdict"] != "leak" {
		t.Errorf("analyze printed verdict %v (%v)", again["verdict"], err)
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.jsonl")
	os.WriteFile(garbage, []byte("\x00\x01binary\nnot json\n"), 0o644)
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	for _, args := range [][]string{
		{"analyze", garbage},
		{"analyze", empty},
		{"analyze", filepath.Join(dir, "missing.jsonl")},
		{"analyze"},
		{"analyze", "--leak-threshold", "fast", garbage},
		{"analyze", "--warmup", "soon", garbage},
	} {
		code, stderr := exitCode(t, subcommand(t, args...))
		if code != 125 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 125 and one line", args, code, stderr)
		}
	}
}

// --quiet keeps errors and, when a leak fails the run, the summary that
// explains its exit code: nothing else (no containment line, no stop's
// steps, no watching cost), and for a clean run nothing at all.
func TestQuietKeepsErrorsAndAFailingVerdict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		role []string
		code int
	}{
		{[]string{"leak-mem", "8", "4s"}, 3},
		{[]string{"churn", "40", "4s"}, 0},
	} {
		t.Run(tc.role[0], func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "run.jsonl")
			code, stderr := exitCode(t, soakrun(t, append(slices.Clone(liveFlags), "-o", out, "--quiet"), tc.role...))
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
			if tc.code == 0 {
				if stderr != "" {
					t.Errorf("--quiet, clean run: stderr\n%s", stderr)
				}
				return
			}
			if !strings.HasPrefix(stderr, "soakrun: verdict: LEAK in ") {
				t.Errorf("--quiet, leaking run: stderr does not start with the verdict\n%s", stderr)
			}
			for _, chatter := range []string{"containment:", "watching cost", "wrote ", "exit code"} {
				if strings.Contains(stderr, chatter) {
					t.Errorf("--quiet printed %q\n%s", chatter, stderr)
				}
			}
		})
	}
}
