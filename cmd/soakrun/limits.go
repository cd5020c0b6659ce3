package main

import (
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/units"
	"github.com/soakrun/soakrun/limit"
)

func limitFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "abort-on-leak", Usage: "stop the tree once the live series is judged leaking or its CPU degrading by the final verdict's rules (after --min-span, and again when the run is half as long again), and exit with --leak-exit-code"},
		&cli.StringFlag{Name: "max-tree-memory", Usage: "stop the tree when its memory (the kernel's charge less page cache with a cgroup, else the RSS sum) passes `SIZE` (512M, 4G, 1.5GiB: powers of 1024; a bare number is bytes) and exit 5"},
		&cli.StringFlag{Name: "max-processes", Usage: "stop the tree when it holds more than `N` processes, zombies included, and exit 5"},
	}
}

// parseLimits reads the early-stop flags: the ceilings, and whether a
// leaking verdict stops the run.
func parseLimits(c *cli.Context, judge bool, leakExitCode int) (ceilings limit.Ceilings, abortOnLeak bool, err error) {
	if s := c.String("max-tree-memory"); s != "" {
		if ceilings.TreeMemoryBytes, err = units.ParseSize(s); err != nil {
			return ceilings, false, failf("--max-tree-memory: %v", err)
		}
	}
	if s := c.String("max-processes"); s != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return ceilings, false, failf("--max-processes: %q is not a count (1 or more)", s)
		}
		ceilings.Processes = n
	}
	abortOnLeak = c.Bool("abort-on-leak")
	switch {
	case abortOnLeak && !judge:
		return ceilings, false, failf("--abort-on-leak: cannot stop on a verdict with --no-leak-check")
	case abortOnLeak && leakExitCode == 0:
		return ceilings, false, failf("--abort-on-leak: --leak-exit-code 0 would report a run stopped for a leak as a success")
	}
	return ceilings, abortOnLeak, nil
}
