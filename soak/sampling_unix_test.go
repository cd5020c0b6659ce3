//go:build linux || darwin

package soak

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
)

// A run samples its tree as it goes: the memory it holds, its largest
// member by name, and says what it wrote and what watching cost.
func TestSamplesDuringRun(t *testing.T) {
	var said lines
	cfg := config(t, &said, "hold", "40", "1500ms")
	cfg.Judge, cfg.Sampling.Top = false, 1
	if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 0 {
		t.Fatalf("exit %d, %v\n%s", o.ExitCode, err, said.text())
	}
	if !strings.Contains(said.text(), "wrote") || !strings.Contains(said.text(), "watching cost") {
		t.Errorf("the run does not say what was written and what it cost:\n%s", said.text())
	}
	lines := testproc.ReadJSONL(t, cfg.Sampling.Output)
	if len(lines) < 8 {
		t.Fatalf("%d samples in 1.5 s at 100 ms", len(lines))
	}
	if p := peak(lines, "process_memory_mb"); p < 40 {
		t.Errorf("peak tree RSS %.1f MB, want at least the 40 MB held", p)
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

// A run whose samples cannot be written (a full disk) still supervises:
// the command's exit code, the write error said, and the verdict judged
// from the samples kept in memory.
func TestFullDiskKeepsSupervising(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	var said lines
	var summary buffer
	cfg := config(t, &said, "exit", "3")
	cfg.Sampling.Output, cfg.Console.Summary = "/dev/full", &summary
	o, err := Run(t.Context(), cfg)
	if err != nil || o.ExitCode != 3 {
		t.Errorf("exit %d, %v; want the command's 3", o.ExitCode, err)
	}
	if !strings.Contains(said.text(), "could not be written") || !strings.Contains(said.text(), "no space left") {
		t.Errorf("the write error is not reported:\n%s", said.text())
	}
	if !strings.Contains(summary.String(), "verdict: ") || o.Analysis == nil {
		t.Errorf("no verdict from memory: %q", summary.String())
	}
}

// Command lines stay out of the samples unless asked for, and then their
// secrets stay out.
func TestRecordCmdlineRedacts(t *testing.T) {
	for _, record := range []bool{false, true} {
		var said lines
		cfg := config(t, &said, "sleep", "500ms")
		cfg.Judge, cfg.Sampling.Top, cfg.Sampling.RecordCmdline = false, 1, record
		s := cfg.Supervisor
		s.Args = append(s.Args, "--token=s3cr3t", "password=hunter2", "--symbol=BTC")
		if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 0 {
			t.Fatalf("exit %d, %v\n%s", o.ExitCode, err, said.text())
		}
		b, _ := os.ReadFile(cfg.Sampling.Output)
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

// Sampling.MetricsAddr serves the live tree; an address already taken is
// exit 125 with nothing launched.
func TestMetricsEndpoint(t *testing.T) {
	urls := make(chan string, 1)
	var said lines
	cfg := config(t, &said, "sleep", "3s")
	cfg.Judge, cfg.Sampling.MetricsAddr = false, "0" // a bare port: loopback
	cfg.Console.Logf = func(format string, args ...any) {
		said.add(format, args...)
		if format == "serving metrics on http://%s/metrics" {
			urls <- "http://" + args[0].(string) + "/metrics"
		}
	}
	done := make(chan error, 1)
	go func() { _, err := Run(t.Context(), cfg); done <- err }()
	var url string
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("the run ended (%v) without serving metrics:\n%s", err, said.text())
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("metrics served on %q, want loopback", url)
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

	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}

	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	marker := filepath.Join(testproc.TempDir(t), "ran")
	busy := config(t, &said, "touch", marker)
	busy.Sampling.MetricsAddr = taken.Addr().String()
	if o, err := Run(t.Context(), busy); o.ExitCode != 125 || err == nil || !strings.Contains(err.Error(), "metrics") {
		t.Errorf("address taken: exit %d, %v; want 125 and an error naming the metrics", o.ExitCode, err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran although metrics could not be served")
	}
}

// Monitor samples a tree it did not start, and ends when its pid exits.
func TestMonitorStopsWhenPidExits(t *testing.T) {
	target := testproc.Command("sleep", "1h")
	pids := testproc.Start(t, target, 1, nil)
	var said lines
	cfg := MonitorConfig{
		Sampling: config(t, &said).Sampling,
		PID:      pids[0],
		Console:  Console{Logf: said.add, Errorf: said.add},
	}
	done := make(chan error, 1)
	go func() { done <- Monitor(t.Context(), cfg) }()
	// Once the monitor has samples of the running target, end the target.
	testproc.WaitFor(t, func() bool { return testproc.CountLines(cfg.Sampling.Output) >= 3 })
	target.Process.Kill()
	target.Wait()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("monitor: %v\n%s", err, said.text())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the monitor ran on 30 s after its pid exited")
	}
	lines := testproc.ReadJSONL(t, cfg.Sampling.Output)
	if len(lines) < 3 {
		t.Fatalf("%d samples", len(lines))
	}
	if lines[1]["process_count"] != 1.0 {
		t.Errorf("process_count = %v while the pid ran, want 1", lines[1]["process_count"])
	}
}

// Monitor ends after its Duration, with the samples of that time.
func TestMonitorDuration(t *testing.T) {
	var said lines
	cfg := MonitorConfig{Sampling: config(t, &said).Sampling, Duration: 500 * time.Millisecond}
	if err := Monitor(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	if lines := testproc.ReadJSONL(t, cfg.Sampling.Output); len(lines) < 4 {
		t.Errorf("a monitor of 500 ms at 100 ms wrote %d lines", len(lines))
	}
}
