//go:build linux || darwin

package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A closed stdout and stderr (the reader of a CI log pipe went away) never
// stop the run: soakrun outlives EPIPE on both, drops and counts its lines,
// and the run's outcome, the verdict and the exit code are those of the
// same run with its output read.
func TestClosedOutputPipeChangesNothing(t *testing.T) {
	t.Parallel()
	sleep := []string{"/bin/sleep", "5"}
	runWith := func(closed bool) (int, map[string]any) {
		out := filepath.Join(t.TempDir(), "run.jsonl")
		cmd := soakrun(t, []string{"--timeout", "500ms", "--kill-after", "2s", "-o", out})
		cmd.Args = append(cmd.Args[:len(cmd.Args)-1], sleep...)
		if closed {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close() // no reader: every write soakrun makes is EPIPE
			defer w.Close()
			cmd.Stdout, cmd.Stderr = w, w
			if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
				t.Fatal(err)
			}
			return cmd.ProcessState.ExitCode(), analysisOf(t, out)
		}
		code, _ := exitCode(t, cmd)
		return code, analysisOf(t, out)
	}
	openCode, open := runWith(false)
	closedCode, closed := runWith(true)
	if closedCode != 124 || openCode != 124 {
		t.Errorf("exit %d with the pipe closed, %d with it read; want 124 for both (141 is death by SIGPIPE)", closedCode, openCode)
	}
	openRun, closedRun := open["run"].(map[string]any), closed["run"].(map[string]any)
	if n := closedRun["output_lines_dropped"].(float64); n < 1 {
		t.Errorf("output_lines_dropped %v with the pipe closed, want the lines counted", n)
	}
	if n := openRun["output_lines_dropped"].(float64); n != 0 {
		t.Errorf("output_lines_dropped %v with the pipe read, want 0", n)
	}
	// The command was stopped by the timeout's SIGTERM, not by the guard's
	// SIGKILL after soakrun died.
	if closedRun["signal"] != "SIGTERM" {
		t.Errorf("command ended by %v with the pipe closed, want SIGTERM from the timeout", closedRun["signal"])
	}
	// What differs between any two runs: soakrun's own cost (the CPU, the
	// memory, the most files it kept open), and the cgroup named after its
	// pid.
	for _, k := range []string{"output_lines_dropped", "soakrun_cpu_seconds", "soakrun_peak_rss_mb", "containment"} {
		delete(openRun, k)
		delete(closedRun, k)
	}
	for _, r := range []map[string]any{openRun, closedRun} {
		if d, ok := r["descriptors"].(map[string]any); ok {
			delete(d, "kept_files_peak")
		}
	}
	if !reflect.DeepEqual(openRun, closedRun) {
		t.Errorf("run with the pipe closed %v, with it read %v: want the same", closedRun, openRun)
	}
	if open["verdict"] != closed["verdict"] {
		t.Errorf("verdict %v with the pipe closed, %v with it read", closed["verdict"], open["verdict"])
	}
}

// A subcommand whose stdout is closed says so and exits 125: soakrun asks
// for SIGPIPE as it starts, before it writes anything, so the write fails
// with EPIPE instead of killing it (exit 141).
func TestSubcommandOnAClosedPipeSaysSo(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	defer w.Close()
	cmd := subcommand(t, "zombies")
	cmd.Stdout = w
	code, stderr := exitCode(t, cmd)
	if code != 125 || !strings.Contains(stderr, "broken pipe") {
		t.Errorf("exit %d, stderr %q; want 125 and the broken pipe named", code, stderr)
	}
}
