package soak

import (
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/supervisor"
)

// The tree's CPU counts what no listing sees: workers that ran and died
// between two samples, reaped by a member (fork-spin) or, orphaned, by the
// run itself (orphan-burn). The load's own account of its CPU is taken
// before its last processes exit, so the tree's last process_cpu_seconds
// may pass it by what those exits cost, at most 20 ms each, and may fall
// short of it by no more than 5%.
func TestTreeCPUCountsWorkersNobodySaw(t *testing.T) {
	for _, role := range [][]string{
		{"fork-spin", "8", "150ms", "300ms"},
		{"orphan-burn", "8", "150ms"},
	} {
		t.Run(role[0], func(t *testing.T) {
			var said lines
			stdout := outputFile(t)
			cfg := config(t, &said, role...)
			cfg.Judge, cfg.Sampling.Interval, cfg.Supervisor.Stdout = false, 2*time.Second, stdout
			if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 0 {
				t.Fatalf("exit %d, %v\n%s", o.ExitCode, err, said.text())
			}
			var account time.Duration
			printed := contents(t, stdout)
			for line := range strings.Lines(printed) {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "account "); ok {
					ns, _ := strconv.ParseInt(v, 10, 64)
					account = time.Duration(ns)
				}
			}
			if account < time.Second {
				t.Fatalf("the load counted %v of CPU (stdout %q)", account, printed)
			}
			seen := peak(testproc.ReadJSONL(t, cfg.Sampling.Output), "process_cpu_seconds")
			exits := 20 * time.Millisecond * time.Duration(8+2)
			t.Logf("tree CPU %.3f s, the load's own account %.3f s", seen, account.Seconds())
			if seen < 0.95*account.Seconds() || seen > 1.05*account.Seconds()+exits.Seconds() {
				t.Errorf("tree CPU %.3f s, want the load's %.3f s, less 5%% at most or more by its exits (%s) at most", seen, account.Seconds(), exits)
			}
		})
	}
}

// Under stress-ng's fork stressor (thousands of children a second, each
// gone before the next sample) the tree's CPU, and the cgroup's where one
// ran, agree with stress-ng's own count of its stressor's CPU: no less than
// 5% under it, and over it by 5% and stress-ng's own process at most
// (setting up, reaping, printing the metrics: 0.1-0.2 s here, which a
// loaded machine that gives the stressor half a core of its 4 s makes
// more than 5%). Where both ran, the tree and the cgroup agree within 2%.
func TestTreeCPUAgreesWithStressNG(t *testing.T) {
	if _, err := exec.LookPath("stress-ng"); err != nil {
		t.Skip("stress-ng is not installed")
	}
	for name, mode := range map[string]supervisor.CgroupMode{"cgroup=off": supervisor.CgroupOff, "cgroup=auto": supervisor.CgroupAuto} {
		t.Run(name, func(t *testing.T) {
			var said lines
			stderr := outputFile(t)
			cfg := config(t, &said)
			cfg.Judge, cfg.Sampling.Interval = false, time.Second
			cfg.Supervisor = &supervisor.Supervisor{Args: []string{"stress-ng", "--fork", "1", "--timeout", "4s", "--metrics"},
				Cgroup: mode, KillAfter: time.Second, Stderr: stderr}
			if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 0 {
				t.Fatalf("exit %d, %v\n%s\n%s", o.ExitCode, err, said.text(), contents(t, stderr))
			}
			printed := contents(t, stderr)
			var own float64
			for line := range strings.Lines(printed) {
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
				t.Fatalf("no stress-ng account of its CPU in %q", printed)
			}
			lines := testproc.ReadJSONL(t, cfg.Sampling.Output)
			tree, cg := peak(lines, "process_cpu_seconds"), peak(lines, "cgroup_cpu_seconds")
			t.Logf("stress-ng counted %.2f s; the tree %.3f s, the cgroup %.3f s", own, tree, cg)
			const mainProcess = 0.3 // s
			if tree < 0.95*own || tree > 1.05*own+mainProcess {
				t.Errorf("tree CPU %.3f s, stress-ng's %.2f s: want no less than 5%% under it, and over it by 5%% and %.1f s at most", tree, own, mainProcess)
			}
			if cg != 0 && (cg < 0.95*own || cg > 1.05*own+mainProcess || math.Abs(cg-tree) > 0.02*cg) {
				t.Errorf("cgroup CPU %.3f s, the tree's %.3f s, stress-ng's %.2f s: want the cgroup's as the tree's, within 2%%", cg, tree, own)
			}
		})
	}
}
