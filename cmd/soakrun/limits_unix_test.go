//go:build linux || darwin

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/soak"
)

// earlyRun runs soakrun over role with flags and a minute's timeout, and
// returns its exit code, stderr, the analysis, and the pids of the
// members that announced themselves, which must all be gone.
func earlyRun(t *testing.T, flags []string, role ...string) (int, string, map[string]any) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run.jsonl")
	cmd := soakrun(t, append(slices.Clone(flags), "-o", out, "--timeout", "1m", "--kill-after", "1s"), role...)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	code, stderr := exitCode(t, cmd)
	for line := range strings.Lines(stdout.String()) {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "ready" {
			pid, _ := strconv.Atoi(f[2])
			if p, err := proc.Get(pid); err == nil && !p.Zombie {
				t.Errorf("member %d (%s) outlived the run", pid, p.Name)
			}
		}
	}
	if _, err := os.Stat(soak.ReportPath(out)); err != nil {
		t.Errorf("no HTML report: %v", err)
	}
	return code, stderr, analysisOf(t, out)
}

// earlyFlags judge a few seconds of a helper as liveFlags do.
var earlyFlags = append(slices.Clone(liveFlags), "--abort-on-leak")

// A leaking helper is stopped as soon as the verdict is in, long before its
// timeout, through the stop sequence, with the leak code and a complete
// analysis; a churning one, judged the same way, runs to its end.
func TestAbortOnLeak(t *testing.T) {
	t.Run("leak", func(t *testing.T) {
		t.Parallel()
		code, stderr, a := earlyRun(t, earlyFlags, "leak-mem", "8", "1h")
		run := a["run"].(map[string]any)
		stopped, _ := run["stopped_early"].(string)
		// Where the tree has a cgroup the kernel's charge is judged beside
		// the RSS sum, and either may be found first.
		memoryLeak := regexp.MustCompile(`leak in (process_memory_mb|cgroup_memory_nocache_mb)\b`)
		if code != 3 || run["exit_code"] != 3.0 || run["timed_out"] != false || !strings.HasPrefix(stopped, "--abort-on-leak: ") || !memoryLeak.MatchString(stopped) {
			t.Fatalf("exit %d, run %v; want 3, stopped early for the memory leak\n%s", code, run, stderr)
		}
		if a["verdict"] != "leak" || !memoryLeak.MatchString("leak in "+fmt.Sprint(a["leaks"].([]any)[0])) || run["samples_written"].(float64) < 20 {
			t.Errorf("analysis %v %v, %v samples: want the complete leak verdict", a["verdict"], a["leaks"], run["samples_written"])
		}
		for _, want := range []string{stopped + "; stopping the tree", "sending SIGTERM", "verdict: LEAK in ", "stopped early (" + stopped + ")"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
	})
	t.Run("churn", func(t *testing.T) {
		t.Parallel()
		code, stderr, a := earlyRun(t, earlyFlags, "churn", "40", "5s")
		run := a["run"].(map[string]any)
		if code != 0 || run["stopped_early"] != "" || len(a["leaks"].([]any)) != 0 {
			t.Errorf("exit %d, stopped early %q, leaks %v: a sawtooth ran to its end\n%s", code, run["stopped_early"], a["leaks"], stderr)
		}
	})
}

// A tree past a hard ceiling is stopped with exit 5 whether or not it
// leaks by the verdict's rules; one that stays below runs to its end.
func TestCeilings(t *testing.T) {
	for _, tc := range []struct {
		name    string
		flags   []string
		role    []string
		code    int
		stopped string // prefix of run.stopped_early
	}{
		{"memory", []string{"--max-tree-memory", "48M"}, []string{"leak-mem", "8", "1h"}, 5, "--max-tree-memory: tree memory "},
		{"processes", []string{"--max-processes", "4"}, []string{"churn-tree", "6", "1h"}, 5, "--max-processes: "},
		{"below", []string{"--max-tree-memory", "1G", "--max-processes", "20"}, []string{"churn-tree", "3", "3s"}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stderr, a := earlyRun(t, append([]string{"--interval", "100ms", "--leak-threshold", "disk=off"}, tc.flags...), tc.role...)
			run := a["run"].(map[string]any)
			stopped := run["stopped_early"].(string)
			if code != tc.code || run["exit_code"] != float64(tc.code) || !strings.HasPrefix(stopped, tc.stopped) || (tc.stopped == "") != (stopped == "") {
				t.Errorf("exit %d, stopped early %q; want %d, %q\n%s", code, stopped, tc.code, tc.stopped, stderr)
			}
			if tc.code == 5 && (run["timed_out"] != false || run["samples_written"].(float64) < 2) {
				t.Errorf("run facts %v", run)
			}
		})
	}
}
