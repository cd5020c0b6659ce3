package main

import (
	"os"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/units"
	"github.com/soakrun/soakrun/sampler"
	"github.com/soakrun/soakrun/soak"
)

func samplingFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "interval", Value: "10s", Usage: "sample every `DURATION` (at least 50ms)"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "resources.jsonl", Usage: "write samples to `FILE`, one JSON object per line; checked before the command starts (unwritable: exit 125, nothing run)"},
		&cli.StringFlag{Name: "top", Value: "3", Usage: "list the `N` largest processes of the tree by memory in each sample, then any among the N largest by handles, threads or CPU not listed yet, and name the fastest-growing executable of each judged figure (0: none)"},
		&cli.BoolFlag{Name: "record-cmdline", Usage: "add each --top process's command line, with secret-looking values (--token=…, password=…, *_KEY=…, --password VALUE) replaced by ***"},
		&cli.StringFlag{Name: "metrics-addr", Usage: "serve Prometheus metrics on `ADDR` (a bare port binds to 127.0.0.1; name a host, e.g. 0.0.0.0:9464, to expose it)"},
		&cli.StringFlag{Name: "disk", Usage: "report the filesystem holding `PATH` (default: the output's directory)"},
	}, pushFlags()...)
}

func parseSamplingOptions(c *cli.Context) (soak.Sampling, error) {
	var o soak.Sampling
	var err error
	if o.Interval, err = units.ParseDuration(c.String("interval")); err != nil {
		return o, failf("--interval: %v", err)
	}
	if o.Interval < sampler.MinInterval {
		return o, failf("--interval: %s is shorter than the minimum %s", o.Interval, sampler.MinInterval)
	}
	if o.Top, err = strconv.Atoi(c.String("top")); err != nil || o.Top < 0 {
		return o, failf("--top: %q is not a count (0 or more)", c.String("top"))
	}
	if o.Output = c.String("output"); o.Output == "" {
		return o, failf("--output: empty file name")
	}
	o.RecordCmdline = c.Bool("record-cmdline")
	o.MetricsAddr = c.String("metrics-addr")
	if o.Push, err = parsePushOptions(c); err != nil {
		return o, err
	}
	if o.Disk = c.String("disk"); o.Disk != "" {
		if _, err := os.Stat(o.Disk); err != nil {
			return o, failf("--disk: %v", err)
		}
	}
	return o, nil
}
