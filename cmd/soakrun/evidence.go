package main

import (
	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/units"
	"github.com/soakrun/soakrun/soak"
)

func evidenceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "on-suspect", Usage: "run `CMD` with the shell once, the first time the live series is judged leaking, with SOAKRUN_PIDS (the tree), SOAKRUN_TOP_PID and SOAKRUN_TOP_NAME (its largest member) and SOAKRUN_EVIDENCE_DIR in its environment; its output is kept in that directory"},
		&cli.StringFlag{Name: "before-stop", Usage: "run `CMD` as --on-suspect does, before the timeout, a ceiling or --abort-on-leak sends the first signal; the stop waits for it at most --kill-after"},
		&cli.StringFlag{Name: "hook-timeout", Value: "60s", Usage: "kill an --on-suspect or --before-stop command still running after `DURATION`"},
	}
}

func parseEvidenceOptions(c *cli.Context) (soak.Evidence, error) {
	o := soak.Evidence{OnSuspect: c.String("on-suspect"), BeforeStop: c.String("before-stop")}
	var err error
	if o.HookTimeout, err = units.ParseDuration(c.String("hook-timeout")); err != nil || o.HookTimeout <= 0 {
		return o, failf("--hook-timeout: a positive duration, not %q", c.String("hook-timeout"))
	}
	return o, nil
}
