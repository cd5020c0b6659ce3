package main

import (
	"os"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/units"
	"github.com/soakrun/soakrun/metrics"
)

func pushFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "push-gateway", Usage: "push the --metrics-addr gauges to the Prometheus Pushgateway at `URL`, for runners nobody can scrape"},
		&cli.StringFlag{Name: "push-job", Value: "soakrun", Usage: "the job label of the pushed group: `NAME`"},
		&cli.StringFlag{Name: "push-interval", Value: "15s", Usage: "push every `DURATION`"},
		&cli.BoolFlag{Name: "push-keep", Usage: "leave the pushed group on the gateway at the end, with the last sample (default: delete it)"},
	}
}

// parsePushOptions is nil without --push-gateway. The first failed push
// is reported as it happens, on stderr even under --quiet; the rest are
// only counted, into the analysis.
func parsePushOptions(c *cli.Context) (*metrics.PushConfig, error) {
	if c.String("push-gateway") == "" {
		return nil, nil
	}
	interval, err := units.ParseDuration(c.String("push-interval"))
	if err != nil {
		return nil, failf("--push-interval: %v", err)
	}
	if interval <= 0 {
		return nil, failf("--push-interval: want more than 0")
	}
	return &metrics.PushConfig{
		URL:      c.String("push-gateway"),
		Job:      c.String("push-job"),
		Interval: interval,
		Keep:     c.Bool("push-keep"),
		Grouping: metrics.CIGrouping(os.Getenv, os.Hostname),
		OnFirstFailure: func(err error) {
			errorf("pushgateway: %v (the run goes on; further failures are only counted)", err)
		},
	}, nil
}
