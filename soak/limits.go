package soak

import (
	"github.com/soakrun/soakrun/limit"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/supervisor"
)

// The reasons of an early stop name the flags that asked for it, in the
// words a soakrun user gave them.

// watch is the sink that stops the run early: at a ceiling, and with
// --abort-on-leak when series is judged leaking; and that tells suspect
// the first time series is judged leaking. series is nil without the leak
// check.
func watch(cfg Config, series *report.Series, suspect func(limit.Trigger)) *limit.Watch {
	if cfg.Ceilings == (limit.Ceilings{}) && !cfg.AbortOnLeak && (series == nil || suspect == nil) {
		return nil
	}
	sup := cfg.Supervisor
	w := &limit.Watch{Ceilings: cfg.Ceilings, OnTrigger: func(st limit.Trigger) {
		flag, code := "--abort-on-leak", cfg.LeakExitCode
		switch st.Cause {
		case limit.MemoryCeiling:
			flag, code = "--max-tree-memory", ExitCeiling
		case limit.ProcessCeiling:
			flag, code = "--max-processes", ExitCeiling
		}
		sup.Abort(supervisor.Abort{Reason: flag + ": " + st.Reason, ExitCode: code})
	}}
	if series != nil {
		w.Series, w.Options, w.StopOnLeak, w.Suspect = series, cfg.Verdict, cfg.AbortOnLeak, suspect
	}
	return w
}
