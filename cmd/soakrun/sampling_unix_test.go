//go:build linux || darwin

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

func TestShortRunHasStartAndExitSamples(t *testing.T) {
	t.Parallel()
	cmd := soakrun(t, []string{"--interval", "1h", "--top", "2"}, "hold", "20", "300ms")
	if code, stderr := exitCode(t, cmd); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := testproc.ReadJSONL(t, filepath.Join(cmd.Dir, "resources.jsonl"))
	if len(lines) != 2 || lines[0]["sample"] != "start" || lines[1]["sample"] != "exit" {
		t.Fatalf("samples %v, want start and exit", lines)
	}
	if lines[1]["process_count"] != 0.0 {
		t.Errorf("exit sample's process_count = %v, want 0: the tree is gone", lines[1]["process_count"])
	}
}

func TestUnwritableOutputLaunchesNothing(t *testing.T) {
	t.Parallel()
	marker := filepath.Join(t.TempDir(), "ran")
	cmd := soakrun(t, []string{"-o", filepath.Join(t.TempDir(), "no", "such", "dir", "x.jsonl")})
	cmd.Args = append(cmd.Args[:len(cmd.Args)-1], "/bin/sh", "-c", "touch "+marker)
	code, stderr := exitCode(t, cmd)
	if code != 125 {
		t.Errorf("exit %d, want 125", code)
	}
	if n := strings.Count(strings.TrimSpace(stderr), "\n"); n != 0 || !strings.Contains(stderr, "cannot write output") {
		t.Errorf("want one line naming the output, got %q", stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran although the output could not be written")
	}
}

// A SIGKILL of soakrun leaves a file whose every line parses: lines are
// written whole, one write each, with nothing buffered in soakrun.
func TestSIGKILLLeavesWholeLines(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "series.jsonl")
	cmd := soakrun(t, []string{"--interval", "100ms", "--top", "3", "-o", out}, "sleep", "1h")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The guard stops the target once soakrun is gone
	// (TestSupervisorDeathKillsTree proves it).
	testproc.WaitFor(t, func() bool { return testproc.CountLines(out) >= 5 })
	cmd.Process.Kill()
	cmd.Wait()
	if lines := testproc.ReadJSONL(t, out); len(lines) < 5 {
		t.Errorf("%d lines after SIGKILL, want at least the 5 seen before", len(lines))
	}
}

// soakrun monitor: --duration ends it with its samples written; a bad
// value is exit 125 and one line.
func TestMonitorDurationAndBadInput(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "m.jsonl")
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"monitor", "--duration", "500ms", "--interval", "100ms", "-o", out}, 0},
		{[]string{"monitor", "--pid", "nope"}, 125},
		{[]string{"monitor", "--interval", "10ms"}, 125},
		{[]string{"monitor", "--top", "-1"}, 125},
		{[]string{"monitor", "--disk", "/no/such/path"}, 125},
		{[]string{"monitor", "stray"}, 125},
	} {
		cmd := subcommand(t, tc.args...)
		code, stderr := exitCode(t, cmd)
		if code != tc.want {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.want, stderr)
		}
		if tc.want == 125 && strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: want one line, got %q", tc.args, stderr)
		}
	}
	if lines := testproc.ReadJSONL(t, out); len(lines) < 4 {
		t.Errorf("monitor --duration 500ms at 100ms wrote %d lines", len(lines))
	}
}
