package soak

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/supervisor"
)

// lines collects what a run says.
type lines struct {
	mu  sync.Mutex
	all []string
}

func (l *lines) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (l *lines) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.all, "\n")
}

// config soaks the test binary playing role, judged after a second.
func config(t *testing.T, said *lines, role ...string) Config {
	t.Helper()
	return Config{
		Supervisor:   &supervisor.Supervisor{Args: []string{os.Args[0]}, Env: testproc.Env(role...), KillAfter: time.Second},
		Sampling:     Sampling{Interval: 100 * time.Millisecond, Output: filepath.Join(testproc.TempDir(t), "resources.jsonl")},
		Judge:        true,
		Verdict:      report.Options{Thresholds: maps.Clone(report.DefaultThresholds), Warmup: 500 * time.Millisecond, MinSpan: time.Second},
		LeakExitCode: ExitLeak,
		Console:      Console{Logf: said.add, Errorf: said.add},
	}
}

// A leaking command, soaked in-process: the outcome says LEAK with the leak
// exit code, and the files a run leaves are on disk with the same verdict.
func TestRunJudgesALeak(t *testing.T) {
	var said lines
	cfg := config(t, &said, "leak-mem", "8", "3s")
	o, err := Run(t.Context(), cfg)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, said.text())
	}
	if !o.Leaked() || o.ExitCode != ExitLeak || o.Analysis.Verdict != trend.Leak {
		var series []string
		for _, l := range testproc.ReadJSONL(t, cfg.Sampling.Output) {
			series = append(series, fmt.Sprintf("%v:%v:%v", l["sample"], l["process_count"], l["process_memory_mb"]))
		}
		t.Fatalf("outcome: exit %d, leaked %v, verdict %v (%s); want %d, a leak\n%s\nsamples (kind:count:MB): %s", o.ExitCode, o.Leaked(), o.Analysis.Verdict,
			o.Analysis.Metrics[report.TreeMemory].Reason, ExitLeak, said.text(), strings.Join(series, " "))
	}
	b, err := os.ReadFile(AnalysisPath(cfg.Sampling.Output))
	if err != nil {
		t.Fatal(err)
	}
	var written struct {
		Verdict string `json:"verdict"`
		Run     struct {
			ExitCode int `json:"exit_code"`
		} `json:"run"`
	}
	if err := json.Unmarshal(b, &written); err != nil || written.Verdict != "leak" || written.Run.ExitCode != ExitLeak {
		t.Errorf("the analysis on disk: %+v (%v)", written, err)
	}
	if _, err := os.Stat(ReportPath(cfg.Sampling.Output)); err != nil {
		t.Errorf("no HTML report: %v", err)
	}
	if !strings.Contains(said.text(), "containment: ") || !strings.Contains(said.text(), "exit code 3") {
		t.Errorf("the console was not told the run's steps:\n%s", said.text())
	}
}

// When the context ends, the run stops as its timeout would stop it: the
// whole tree, exit 124. The context ends once the command and its child
// are both ready, with the cause given.
func TestRunStopsWhenTheContextEnds(t *testing.T) {
	var said lines
	cfg := config(t, &said, "spawn", "--", "sleep", "1m")
	cfg.Judge = false
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cfg.Supervisor.Stdout = w
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	var members []proc.Process
	var start time.Time
	looked := make(chan struct{})
	go func() {
		defer close(looked)
		defer w.Close()
		if _, err := testproc.WaitReady(r, 2, time.Minute); err != nil {
			cancel(fmt.Errorf("the tree was never ready: %w", err))
			return
		}
		members, _ = cfg.Supervisor.Members()
		start = time.Now()
		cancel(errors.New("the test is done with it"))
	}()
	o, err := Run(ctx, cfg)
	<-looked
	if err != nil {
		t.Fatalf("run: %v\n%s", err, said.text())
	}
	if o.ExitCode != supervisor.ExitTimeout || o.Result.Aborted == nil || !strings.Contains(o.Result.Aborted.Reason, "the context ended: the test is done with it") {
		t.Errorf("exit %d, stopped by %+v; want 124 for the context", o.ExitCode, o.Result.Aborted)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the run took %s after its context ended", d)
	}
	if len(members) < 2 {
		t.Fatalf("the tree had %d member(s) once both were ready, want the command and its child", len(members))
	}
	for _, m := range members {
		if p, err := proc.Get(m.PID); err == nil && p.Identity == m.Identity && !p.Zombie {
			t.Errorf("member %d (%s) outlived the run", m.PID, m.Name)
		}
	}
}

// A run that cannot start says so and implies 125 or 127; nothing runs
// without a command.
func TestRunThatCannotStart(t *testing.T) {
	var said lines
	cfg := config(t, &said)
	cfg.Supervisor = &supervisor.Supervisor{Args: []string{filepath.Join(testproc.TempDir(t), "no-such-command")}}
	o, err := Run(t.Context(), cfg)
	if err == nil || o.ExitCode != supervisor.ExitNotFound {
		t.Errorf("a missing command: exit %d, %v; want 127 and an error", o.ExitCode, err)
	}
	cfg.Supervisor = &supervisor.Supervisor{}
	if o, err := Run(t.Context(), cfg); err == nil || o.ExitCode != supervisor.ExitFailure {
		t.Errorf("no command: exit %d, %v; want 125 and an error", o.ExitCode, err)
	}
	cfg = config(t, &said, "exit", "0")
	cfg.Sampling.Output = filepath.Join(testproc.TempDir(t), "missing", "dir", "resources.jsonl")
	if o, err := Run(t.Context(), cfg); err == nil || o.ExitCode != supervisor.ExitFailure {
		t.Errorf("an output that cannot be written: exit %d, %v; want 125 and an error", o.ExitCode, err)
	}
}

// One soak at a time in a process: a second Run while one goes on is
// refused with ErrBusy, and runs nothing.
func TestRunIsOneAtATime(t *testing.T) {
	var said lines
	first := config(t, &said, "sleep", "2s")
	first.Judge = false
	done := make(chan error, 1)
	go func() { _, err := Run(t.Context(), first); done <- err }()
	testproc.WaitFor(t, func() bool { return strings.Contains(said.text(), "containment: ") })
	marker := filepath.Join(testproc.TempDir(t), "ran")
	o, err := Run(t.Context(), config(t, &said, "touch", marker))
	if !errors.Is(err, ErrBusy) || o.ExitCode != supervisor.ExitFailure {
		t.Errorf("a second run: exit %d, %v; want 125 and ErrBusy", o.ExitCode, err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the second run ran its command")
	}
	if err := <-done; err != nil {
		t.Errorf("the first run: %v", err)
	}
}

// The lines a console dropped before a run are not the run's: the
// analysis counts those dropped since it started.
func TestDroppedLinesAreTheRunsOwn(t *testing.T) {
	var said lines
	cfg := config(t, &said, "exit", "0")
	cfg.Console.Dropped = func() int { return 7 } // dropped by the program's runs before
	o, err := Run(t.Context(), cfg)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, said.text())
	}
	if n := o.Analysis.Run.OutputLinesDropped; n != 0 {
		t.Errorf("the analysis says %d lines dropped, want 0: none were in this run", n)
	}
}
