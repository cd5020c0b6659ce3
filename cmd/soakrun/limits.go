package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/limit"
)

func limitFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "abort-on-leak", Usage: "stop the tree once the live series is judged leaking or its CPU degrading by the final verdict's rules (after --min-span, and again when the run is half as long again), and exit with --leak-exit-code"},
		&cli.StringFlag{Name: "max-tree-memory", Usage: "stop the tree when its memory (the kernel's charge less page cache with a cgroup, else the RSS sum) passes `SIZE` (512M, 4G, 1.5GiB: powers of 1024; a bare number is bytes) and exit 5"},
		&cli.StringFlag{Name: "max-processes", Usage: "stop the tree when it holds more than `N` processes, zombies included, and exit 5"},
	}
}

// limitOptions are the early-stop flags, checked.
type limitOptions struct {
	ceilings    limit.Ceilings
	abortOnLeak bool
}

func parseLimitOptions(c *cli.Context, leakCheck bool, leakExitCode int) (limitOptions, error) {
	o := limitOptions{abortOnLeak: c.Bool("abort-on-leak")}
	if s := c.String("max-tree-memory"); s != "" {
		n, err := parseSize(s)
		if err != nil {
			return o, failf("--max-tree-memory: %v", err)
		}
		o.ceilings.TreeMemoryBytes = n
	}
	if s := c.String("max-processes"); s != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return o, failf("--max-processes: %q is not a count (1 or more)", s)
		}
		o.ceilings.Processes = n
	}
	switch {
	case o.abortOnLeak && !leakCheck:
		return o, failf("--abort-on-leak: cannot stop on a verdict with --no-leak-check")
	case o.abortOnLeak && leakExitCode == 0:
		return o, failf("--abort-on-leak: --leak-exit-code 0 would report a run stopped for a leak as a success")
	}
	return o, nil
}

// sizeUnits are the suffixes a SIZE takes, in powers of 1024 as every
// soakrun figure counts (its MB are 2^20 bytes), case-insensitive.
var sizeUnits = []struct {
	suffixes []string
	bytes    float64
}{
	{[]string{"tib", "tb", "t"}, 1 << 40},
	{[]string{"gib", "gb", "g"}, 1 << 30},
	{[]string{"mib", "mb", "m"}, 1 << 20},
	{[]string{"kib", "kb", "k"}, 1 << 10},
	{[]string{"b"}, 1},
}

// parseSize reads a size such as 512M, 4G, 1.5GiB or 1048576 (bytes).
func parseSize(s string) (uint64, error) {
	num, scale := strings.ToLower(strings.TrimSpace(s)), 1.0
units:
	for _, u := range sizeUnits {
		for _, suffix := range u.suffixes {
			if strings.HasSuffix(num, suffix) {
				num, scale = strings.TrimSpace(strings.TrimSuffix(num, suffix)), u.bytes
				break units
			}
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	bytes := v * scale
	if err != nil || math.IsNaN(v) || !(bytes >= 1) || bytes >= math.MaxUint64 {
		return 0, fmt.Errorf("%q is not a size (512M, 4G, 1.5GiB, or bytes)", s)
	}
	return uint64(bytes), nil
}
