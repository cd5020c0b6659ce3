package main

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

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
	interval, err := parseDuration(c.String("push-interval"))
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
		Grouping: ciGrouping(os.Getenv, os.Hostname),
		OnFirstFailure: func(err error) {
			out.errorf("pushgateway: %v (the run goes on; further failures are only counted)", err)
		},
	}, nil
}

// ciGrouping names a run's group on the gateway from what the CI says of
// it, leaving out what it does not say. instance is the runner's name (the
// host's where there is none), as the Grafana dashboard reads it; the rest
// keep runs of other workflows and repositories, which may reuse runner
// names, from replacing each other's metrics.
func ciGrouping(getenv func(string) string, hostname func() (string, error)) map[string]string {
	g := map[string]string{}
	for label, env := range map[string]string{
		"instance":   "RUNNER_NAME",
		"repository": "GITHUB_REPOSITORY",
		"workflow":   "GITHUB_WORKFLOW",
		"run_id":     "GITHUB_RUN_ID",
	} {
		if v := getenv(env); v != "" {
			g[label] = v
		}
	}
	if g["instance"] == "" {
		if h, err := hostname(); err == nil && h != "" {
			g["instance"] = h
		}
	}
	return g
}

// labelList is grouping as Prometheus writes labels: name="value", sorted.
func labelList(grouping map[string]string) string {
	var l []string
	for _, name := range slices.Sorted(maps.Keys(grouping)) {
		l = append(l, fmt.Sprintf("%s=%q", name, grouping[name]))
	}
	return "{" + strings.Join(l, ",") + "}"
}
