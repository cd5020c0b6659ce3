//go:build linux || darwin

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
)

// fileLines counts the whole lines in path so far.
func fileLines(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte("\n"))
}

// readLines parses every line of a JSONL file; a line that does not parse
// fails the test.
func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for i := 1; sc.Scan(); i++ {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d does not parse: %v: %q", i, err, sc.Text())
		}
		out = append(out, m)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Errorf("file ends mid-line: %q", b[max(0, len(b)-80):])
	}
	return out
}

func TestShortRunHasStartAndExitSamples(t *testing.T) {
	cmd := soakrun(t, []string{"--interval", "1h", "--top", "2"}, "hold", "20", "300ms")
	if code, stderr := exitCode(t, cmd); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := readLines(t, filepath.Join(cmd.Dir, "resources.jsonl"))
	if len(lines) != 2 || lines[0]["sample"] != "start" || lines[1]["sample"] != "exit" {
		t.Fatalf("samples %v, want start and exit", lines)
	}
	if lines[1]["process_count"] != 0.0 {
		t.Errorf("exit sample's process_count = %v, want 0: the tree is gone", lines[1]["process_count"])
	}
}

func TestSamplesDuringRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "series.jsonl")
	cmd := soakrun(t, []string{"--interval", "100ms", "--top", "1", "-o", out}, "hold", "40", "1500ms")
	if code, stderr := exitCode(t, cmd); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	} else if !strings.Contains(stderr, "wrote") || !strings.Contains(stderr, "watching cost") {
		t.Errorf("stderr does not say what was written and what it cost: %s", stderr)
	}
	lines := readLines(t, out)
	if len(lines) < 8 {
		t.Fatalf("%d samples in 1.5 s at 100 ms", len(lines))
	}
	peak := 0.0
	for _, l := range lines {
		if m, ok := l["process_memory_mb"].(float64); ok {
			peak = max(peak, m)
		}
	}
	if peak < 40 {
		t.Errorf("peak tree RSS %.1f MB, want at least the 40 MB held", peak)
	}
	mid := lines[len(lines)/2]
	top, _ := mid["top"].([]any)
	if len(top) != 1 {
		t.Fatalf("top = %v, want one member", mid["top"])
	}
	if name := top[0].(map[string]any)["name"]; name != filepath.Base(os.Args[0]) {
		t.Errorf("top member named %v, want the executable's name %s", name, filepath.Base(os.Args[0]))
	}
}

func TestUnwritableOutputLaunchesNothing(t *testing.T) {
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

func TestFullDiskKeepsSupervising(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	cmd := soakrun(t, []string{"--interval", "100ms", "-o", "/dev/full"}, "exit", "3")
	code, stderr := exitCode(t, cmd)
	if code != 3 {
		t.Errorf("exit %d, want the command's 3", code)
	}
	if !strings.Contains(stderr, "could not be written") || !strings.Contains(stderr, "no space left") {
		t.Errorf("the write error is not reported: %s", stderr)
	}
	if !strings.Contains(stderr, "soakrun: verdict: ") {
		t.Errorf("the verdict is not printed from memory: %s", stderr)
	}
}

// A SIGKILL of soakrun leaves a file whose every line parses: lines are
// written whole, one write each, with nothing buffered in soakrun.
func TestSIGKILLLeavesWholeLines(t *testing.T) {
	out := filepath.Join(t.TempDir(), "series.jsonl")
	cmd := soakrun(t, []string{"--interval", "100ms", "--top", "3", "-o", out}, "sleep", "1h")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The guard stops the target once soakrun is gone
	// (TestSupervisorDeathKillsTree proves it).
	waitFor(t, func() bool { return fileLines(out) >= 5 })
	cmd.Process.Kill()
	cmd.Wait()
	if lines := readLines(t, out); len(lines) < 5 {
		t.Errorf("%d lines after SIGKILL, want at least the 5 seen before", len(lines))
	}
}

func TestMonitorStopsWhenPidExits(t *testing.T) {
	target := testproc.Command("sleep", "1h")
	pids := testproc.Start(t, target, 1, nil)
	out := filepath.Join(t.TempDir(), "m.jsonl")
	cmd := subcommand(t, "monitor", "--pid", strconv.Itoa(pids[0]), "--interval", "100ms", "-o", out)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Once the monitor has samples of the running target, end the target.
	waitFor(t, func() bool { return fileLines(out) >= 3 })
	target.Process.Kill()
	target.Wait()
	ended := time.Now()
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if took := time.Since(ended); took > 5*time.Second {
		t.Errorf("monitor ran %s after its pid exited", took)
	}
	lines := readLines(t, out)
	if len(lines) < 3 {
		t.Fatalf("%d samples", len(lines))
	}
	if lines[1]["process_count"] != 1.0 {
		t.Errorf("process_count = %v while the pid ran, want 1", lines[1]["process_count"])
	}
}

func TestMonitorDurationAndBadInput(t *testing.T) {
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
	if lines := readLines(t, out); len(lines) < 4 {
		t.Errorf("monitor --duration 500ms at 100ms wrote %d lines", len(lines))
	}
}

// Command lines stay out of the samples unless asked for, and then their
// secrets stay out.
func TestRecordCmdlineRedacts(t *testing.T) {
	for _, record := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "run.jsonl")
		flags := []string{"--interval", "100ms", "--top", "1", "-o", out}
		if record {
			flags = append(flags, "--record-cmdline")
		}
		cmd := soakrun(t, flags, "sleep", "500ms")
		cmd.Args = append(cmd.Args, "--token=s3cr3t", "password=hunter2", "--symbol=BTC")
		if code, stderr := exitCode(t, cmd); code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		b, _ := os.ReadFile(out)
		if bytes.Contains(b, []byte("s3cr3t")) || bytes.Contains(b, []byte("hunter2")) {
			t.Errorf("record=%v: a secret reached the samples", record)
		}
		if got := bytes.Contains(b, []byte(`--symbol=BTC`)); got != record {
			t.Errorf("record=%v: command line in the samples: %v", record, got)
		}
		if record && !bytes.Contains(b, []byte(`--token=*** password=***`)) {
			t.Errorf("redacted command line missing: %s", b[:min(len(b), 600)])
		}
	}
}

// --metrics-addr serves the live tree; a port already taken is exit 125
// with nothing launched.
func TestMetricsEndpoint(t *testing.T) {
	cmd := soakrun(t, []string{"--interval", "100ms", "--metrics-addr", "0"}, "sleep", "3s")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	sc := bufio.NewScanner(stderr)
	var url string
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "serving metrics on "); ok {
			url = after
			break
		}
	}
	go io.Copy(io.Discard, stderr)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("metrics served on %q, want loopback", url)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), "soakrun_tree_processes 1\n") {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no soakrun_tree_processes 1 at %s (%v)", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	taken := strings.TrimPrefix(strings.TrimSuffix(url, "/metrics"), "http://")
	marker := filepath.Join(t.TempDir(), "ran")
	busy := soakrun(t, []string{"--metrics-addr", taken})
	busy.Args = append(busy.Args[:len(busy.Args)-1], "/bin/sh", "-c", "touch "+marker)
	if code, stderr := exitCode(t, busy); code != 125 || !strings.Contains(stderr, "--metrics-addr") {
		t.Errorf("port taken: exit %d, %q; want 125", code, stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran although metrics could not be served")
	}
}
