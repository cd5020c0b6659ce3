package main

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
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

// Under stress-ng's fork stressor (thousands of children a second, each
// gone before the next sample) the tree's CPU, and the cgroup's where one
// ran, agree with stress-ng's own count of its stressor's CPU within 5%.
func TestTreeCPUAgreesWithStressNG(t *testing.T) {
	if _, err := exec.LookPath("stress-ng"); err != nil {
		t.Skip("stress-ng is not installed")
	}
	for _, mode := range []string{"off", "auto"} {
		t.Run("cgroup="+mode, func(t *testing.T) {
			c := exec.Command(os.Args[0], "--cgroup", mode, "--interval", "1s", "--", "stress-ng", "--fork", "1", "--timeout", "4s", "--metrics")
			c.Env = append(os.Environ(), envAsSoakrun+"=1")
			c.Dir = testproc.TempDir(t)
			code, stderr := exitCode(t, c)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var own float64
			for line := range strings.Lines(stderr) {
				// stress-ng: metrc: [PID] fork  OPS  REAL  USR  SYS  …
				f := strings.Fields(line)
				if len(f) >= 8 && f[1] == "metrc:" && f[3] == "fork" {
					usr, err1 := strconv.ParseFloat(f[6], 64)
					sys, err2 := strconv.ParseFloat(f[7], 64)
					if err1 == nil && err2 == nil {
						own = usr + sys
					}
				}
			}
			if own < 0.2 {
				t.Fatalf("no stress-ng account of its CPU in %q", stderr)
			}
			var tree, cg float64
			for _, l := range readLines(t, filepath.Join(c.Dir, "resources.jsonl")) {
				if v, ok := l["process_cpu_seconds"].(float64); ok {
					tree = max(tree, v)
				}
				if v, ok := l["cgroup_cpu_seconds"].(float64); ok {
					cg = max(cg, v)
				}
			}
			t.Logf("stress-ng counted %.2f s; the tree %.3f s, the cgroup %.3f s", own, tree, cg)
			if math.Abs(tree-own) > 0.05*own {
				t.Errorf("tree CPU %.3f s, stress-ng's %.2f s: more than 5%% apart", tree, own)
			}
			if cg != 0 && math.Abs(cg-own) > 0.05*own {
				t.Errorf("cgroup CPU %.3f s, stress-ng's %.2f s: more than 5%% apart", cg, own)
			}
		})
	}
}
