package main

import (
	"maps"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/soak"
	"github.com/soakrun/soakrun/supervisor"
)

// configOf parses args as the root flags and returns the soak they make.
func configOf(t *testing.T, args ...string) soak.Config {
	t.Helper()
	var cfg soak.Config
	app := &cli.App{Flags: runFlags(), ExitErrHandler: func(*cli.Context, error) {}, Action: func(c *cli.Context) (err error) {
		cfg, err = runConfig(c, []string{"cmd"}, supervisor.Signals{})
		return err
	}}
	if err := app.Run(append([]string{"soakrun"}, args...)); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return cfg
}

// The root flags reach the soak they describe. (What the soak then does
// with each is soak's to test.)
func TestRunFlagsMakeTheConfig(t *testing.T) {
	cfg := configOf(t)
	if s := cfg.Supervisor; s.Timeout != 0 || s.KillAfter != 5*time.Second || !cfg.Judge || cfg.LeakExitCode != soak.ExitLeak ||
		cfg.Sampling.Interval != 10*time.Second || cfg.Sampling.Top != 3 || cfg.Sampling.Output != "resources.jsonl" ||
		cfg.Verdict.Warmup != -1 || cfg.Verdict.MinSpan != 10*time.Minute || cfg.Evidence.HookTimeout != time.Minute ||
		!maps.Equal(cfg.Verdict.Thresholds, report.DefaultThresholds) {
		t.Errorf("the defaults: %+v, supervisor %+v", cfg, cfg.Supervisor)
	}

	cfg = configOf(t, "--timeout", "3d", "--kill-after", "0", "--no-leak-check", "--leak-exit-code", "0", "--preserve-status", "--verbose",
		"--interval", "250ms", "--top", "0", "--record-cmdline", "-o", "x.jsonl", "--warmup", "90", "--min-span", "1h",
		"--max-tree-memory", "1.5GiB", "--max-processes", "40", "--on-suspect", "gcore $SOAKRUN_TOP_PID", "--before-stop", "ps", "--hook-timeout", "5s")
	s := cfg.Supervisor
	if s.Timeout != 72*time.Hour || s.KillAfter != -1 || cfg.Judge || cfg.LeakExitCode != 0 || !cfg.PreserveStatus || !cfg.Verbose {
		t.Errorf("supervision and judging: %+v, supervisor %+v", cfg, s)
	}
	if o := cfg.Sampling; o.Interval != 250*time.Millisecond || o.Top != 0 || !o.RecordCmdline || o.Output != "x.jsonl" ||
		cfg.Verdict.Warmup != 90*time.Second || cfg.Verdict.MinSpan != time.Hour {
		t.Errorf("sampling and verdict: %+v, %+v", o, cfg.Verdict)
	}
	if c := cfg.Ceilings; c.TreeMemoryBytes != 3<<29 || c.Processes != 40 {
		t.Errorf("ceilings %+v", c)
	}
	if e := cfg.Evidence; e.OnSuspect != "gcore $SOAKRUN_TOP_PID" || e.BeforeStop != "ps" || e.HookTimeout != 5*time.Second {
		t.Errorf("evidence %+v", e)
	}

	if cfg := configOf(t, "--abort-on-leak", "--leak-exit-code", "7"); !cfg.AbortOnLeak || cfg.LeakExitCode != 7 {
		t.Errorf("--abort-on-leak: %+v", cfg)
	}
}
