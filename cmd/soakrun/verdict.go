package main

import (
	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/units"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/soak"
)

func verdictFlags() []cli.Flag {
	return append(judgingFlags(),
		&cli.IntFlag{Name: "leak-exit-code", Value: soak.ExitLeak, Usage: "exit `CODE` when the command succeeded but a leak or a CPU degradation was found (0: advisory)"},
		&cli.BoolFlag{Name: "judge-host", Usage: "fail the run for host findings too: a rise of the disk's used space or the host's memory that the tree's own writes or memory do not account for (by default reported on a line of its own, failing nothing)"},
	)
}

// judgingFlags say how a series is judged: by run, analyze and compare.
func judgingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "leak-threshold", Value: report.DefaultThresholdList(), Usage: "growth per hour that is a leak: `MB/h` of memory, or a list of name=rate, disk in GB/h and cpu in points of one core (a degradation); off disables one"},
		&cli.StringFlag{Name: "warmup", Value: "auto", Usage: "leave `DURATION` at the start out of the verdict (auto: a tenth of the run, at most 1h)"},
		&cli.StringFlag{Name: "min-span", Value: "10m", Usage: "judge nothing in a run shorter than `DURATION` after the warm-up (verdict: insufficient data)"},
	}
}

// verdictOptions are the analysis flags, checked.
type verdictOptions struct {
	analysis     report.Options
	leakExitCode int
}

func parseVerdictOptions(c *cli.Context) (verdictOptions, error) {
	var o verdictOptions
	th, err := report.ParseThresholds(c.String("leak-threshold"))
	if err != nil {
		return o, failf("--leak-threshold: %v", err)
	}
	o.analysis.Thresholds = th
	o.analysis.Warmup = -1
	if w := c.String("warmup"); w != "auto" {
		if o.analysis.Warmup, err = units.ParseDuration(w); err != nil {
			return o, failf("--warmup: %v", err)
		}
	}
	if o.analysis.MinSpan, err = units.ParseDuration(c.String("min-span")); err != nil {
		return o, failf("--min-span: %v", err)
	}
	o.analysis.JudgeHost = c.Bool("judge-host")
	o.leakExitCode = c.Int("leak-exit-code")
	if o.leakExitCode < 0 || o.leakExitCode > 255 {
		return o, failf("--leak-exit-code: %d is not an exit code (0-255)", o.leakExitCode)
	}
	return o, nil
}
