package main

import (
	"bytes"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tree's CPU counts what no listing sees: workers that ran and died
// between two samples, reaped by a member (fork-spin) or, orphaned, by
// soakrun itself (orphan-burn). The last sample's process_cpu_seconds is
// within 5% of the load's own account of its CPU.
func TestTreeCPUCountsWorkersNobodySaw(t *testing.T) {
	for _, role := range [][]string{
		{"fork-spin", "8", "150ms", "300ms"},
		{"orphan-burn", "8", "150ms"},
	} {
		t.Run(role[0], func(t *testing.T) {
			cmd := soakrun(t, []string{"--interval", "2s", "--top", "0"}, role...)
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			if code, stderr := exitCode(t, cmd); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var account time.Duration
			for line := range strings.Lines(stdout.String()) {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "account "); ok {
					ns, _ := strconv.ParseInt(v, 10, 64)
					account = time.Duration(ns)
				}
			}
			if account < time.Second {
				t.Fatalf("the load counted %v of CPU (stdout %q)", account, stdout.String())
			}
			var seen float64
			for _, l := range readLines(t, filepath.Join(cmd.Dir, "resources.jsonl")) {
				if v, ok := l["process_cpu_seconds"].(float64); ok {
					seen = max(seen, v)
				}
			}
			t.Logf("tree CPU %.3f s, the load's own account %.3f s", seen, account.Seconds())
			if math.Abs(seen-account.Seconds()) > 0.05*account.Seconds() {
				t.Errorf("tree CPU %.3f s, want the load's %.3f s ± 5%%", seen, account.Seconds())
			}
		})
	}
}
