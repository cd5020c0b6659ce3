package soak

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/report"
)

// The before-stop hook runs before the timeout's first signal, with every
// member alive (the check waits 300 ms: a stop that did not wait for the
// hook would have killed the child by then), and the evidence is beside
// the JSONL.
func TestBeforeStopSeesEveryMemberAlive(t *testing.T) {
	var said lines
	cfg := config(t, &said, "spawn", "--", "sleep", "1h")
	cfg.Judge = false
	cfg.Supervisor.Timeout, cfg.Supervisor.KillAfter = 1500*time.Millisecond, 2*time.Second
	cfg.Evidence = Evidence{HookTimeout: time.Minute,
		BeforeStop: `sleep 0.3; for p in $SOAKRUN_PIDS; do kill -0 $p 2>/dev/null || echo dead $p; done; echo checked $SOAKRUN_PIDS top $SOAKRUN_TOP_NAME`}
	if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 124 {
		t.Fatalf("exit %d, %v; want 124\n%s", o.ExitCode, err, said.text())
	}
	dir := filepath.Join(EvidenceDir(cfg.Sampling.Output), "before-stop")
	out, err := os.ReadFile(filepath.Join(dir, "before-stop.out"))
	if err != nil {
		t.Fatalf("no hook output: %v\n%s", err, said.text())
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
	if !strings.Contains(said.text(), "--before-stop exited 0") {
		t.Errorf("the run does not say the hook ran:\n%s", said.text())
	}
}

// The on-suspect hook runs once, the first time the live series is judged
// leaking, however often it is judged so after; the summary says where the
// memory went, by kind.
func TestOnSuspectFiresOnce(t *testing.T) {
	count := filepath.Join(testproc.TempDir(t), "fired")
	var said lines
	var summary buffer
	cfg := config(t, &said, "leak-mem", "20", "1h")
	th, err := report.ParseThresholds("1")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Verdict = report.Options{Thresholds: th, Warmup: -1, MinSpan: 2 * time.Second}
	cfg.Supervisor.Timeout, cfg.Console.Summary = 8*time.Second, &summary
	cfg.Evidence = Evidence{HookTimeout: time.Minute, OnSuspect: fmt.Sprintf("echo $SOAKRUN_TOP_PID >> %s", count)}
	if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 124 {
		t.Fatalf("exit %d, %v; want 124\n%s", o.ExitCode, err, said.text())
	}
	b, err := os.ReadFile(count)
	if err != nil || len(strings.Fields(string(b))) != 1 {
		t.Fatalf("the hook ran %q times (%v), want once\n%s", b, err, said.text())
	}
	if _, err := os.Stat(filepath.Join(EvidenceDir(cfg.Sampling.Output), "suspect", "breakdown.json")); err != nil {
		t.Error(err)
	}
	raw, _ := os.ReadFile(AnalysisPath(cfg.Sampling.Output))
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
	if !strings.Contains(summary.String(), "where the memory went") {
		t.Errorf("the summary does not say where the memory went:\n%s", summary.String())
	}
}
