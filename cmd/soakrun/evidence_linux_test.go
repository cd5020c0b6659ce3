package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --before-stop runs before the timeout's first signal, with every member
// alive (the check waits 300 ms: a stop that did not wait for the hook
// would have killed the child by then), and the evidence is beside the
// JSONL.
func TestBeforeStopSeesEveryMemberAlive(t *testing.T) {
	hook := `sleep 0.3; for p in $SOAKRUN_PIDS; do kill -0 $p 2>/dev/null || echo dead $p; done; echo checked $SOAKRUN_PIDS top $SOAKRUN_TOP_NAME`
	cmd := soakrun(t, []string{"--interval", "100ms", "--timeout", "1500ms", "--kill-after", "2s", "--before-stop", hook}, "spawn", "--", "sleep", "1h")
	code, stderr := exitCode(t, cmd)
	if code != 124 {
		t.Fatalf("exit %d, want 124\n%s", code, stderr)
	}
	dir := filepath.Join(cmd.Dir, "resources.evidence", "before-stop")
	out, err := os.ReadFile(filepath.Join(dir, "before-stop.out"))
	if err != nil {
		t.Fatalf("no hook output: %v\n%s", err, stderr)
	}
	fields := strings.Fields(strings.TrimSpace(string(out)))
	if strings.Contains(string(out), "dead") || len(fields) < 5 || fields[0] != "checked" {
		t.Errorf("the hook saw %q: want every member (2) alive", out)
	}
	for _, name := range []string{"breakdown.json", "members.tsv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(stderr, "--before-stop exited 0") {
		t.Errorf("stderr does not say the hook ran:\n%s", stderr)
	}
}

// --on-suspect runs once, the first time the live series is judged
// leaking, however often it is judged so after; the summary says where
// the memory went, by kind.
func TestOnSuspectFiresOnce(t *testing.T) {
	count := filepath.Join(t.TempDir(), "fired")
	hook := fmt.Sprintf("echo $SOAKRUN_TOP_PID >> %s", count)
	cmd := soakrun(t, []string{"--interval", "100ms", "--min-span", "2s", "--leak-threshold", "1", "--timeout", "8s", "--on-suspect", hook}, "leak-mem", "20", "1h")
	code, stderr := exitCode(t, cmd)
	if code != 124 {
		t.Fatalf("exit %d, want 124\n%s", code, stderr)
	}
	b, err := os.ReadFile(count)
	if err != nil || len(strings.Fields(string(b))) != 1 {
		t.Fatalf("the hook ran %q times (%v), want once\n%s", b, err, stderr)
	}
	if _, err := os.Stat(filepath.Join(cmd.Dir, "resources.evidence", "suspect", "breakdown.json")); err != nil {
		t.Error(err)
	}
	raw, _ := os.ReadFile(filepath.Join(cmd.Dir, "resources.analysis.json"))
	var a struct {
		Verdict    string `json:"verdict"`
		MemoryWent struct {
			Processes []string `json:"processes"`
			Evidence  []string `json:"evidence"`
		} `json:"memory_went"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	if a.Verdict != "leak" || len(a.MemoryWent.Processes) == 0 || !strings.Contains(a.MemoryWent.Processes[0], "anonymous mappings +") || len(a.MemoryWent.Evidence) != 2 {
		t.Errorf("verdict %s, memory_went %+v: want a leak in anonymous mappings and two moments of evidence", a.Verdict, a.MemoryWent)
	}
	if !strings.Contains(stderr, "where the memory went") {
		t.Errorf("the summary does not say where the memory went:\n%s", stderr)
	}
}
