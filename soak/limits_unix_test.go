//go:build linux || darwin

package soak

import (
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/limit"
	"github.com/soakrun/soakrun/report"
)

// A tree past a hard ceiling is stopped with ExitCeiling whether or not it
// leaks by the verdict's rules; one that stays below runs to its end.
func TestCeilings(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ceilings limit.Ceilings
		role     []string
		code     int
		stopped  string // prefix of run.stopped_early
	}{
		{"memory", limit.Ceilings{TreeMemoryBytes: 48 << 20}, []string{"leak-mem", "8", "1h"}, ExitCeiling, "--max-tree-memory: tree memory "},
		{"processes", limit.Ceilings{Processes: 4}, []string{"churn-tree", "6", "1h"}, ExitCeiling, "--max-processes: "},
		{"below", limit.Ceilings{TreeMemoryBytes: 1 << 30, Processes: 20}, []string{"churn-tree", "3", "3s"}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var said lines
			cfg := config(t, &said, tc.role...)
			// The verdict as by default: a run of seconds is too short to judge.
			th, _ := report.ParseThresholds("disk=off")
			cfg.Verdict, cfg.Ceilings = report.Options{Thresholds: th, Warmup: -1, MinSpan: 10 * time.Minute}, tc.ceilings
			o, a := earlyRun(t, cfg, &said)
			run := a["run"].(map[string]any)
			stopped := run["stopped_early"].(string)
			if o.ExitCode != tc.code || run["exit_code"] != float64(tc.code) || !strings.HasPrefix(stopped, tc.stopped) || (tc.stopped == "") != (stopped == "") {
				t.Errorf("exit %d, stopped early %q; want %d, %q\n%s", o.ExitCode, stopped, tc.code, tc.stopped, said.text())
			}
			if tc.code == ExitCeiling && (run["timed_out"] != false || run["samples_written"].(float64) < 2) {
				t.Errorf("run facts %v", run)
			}
		})
	}
}
