package metrics

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// CIGrouping names a run's group on the gateway from what the CI says of
// it, leaving out what it does not say. instance is the runner's name (the
// host's where there is none), as the Grafana dashboard reads it; the rest
// keep runs of other workflows and repositories, which may reuse runner
// names, from replacing each other's metrics.
func CIGrouping(getenv func(string) string, hostname func() (string, error)) map[string]string {
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

// LabelList is grouping as Prometheus writes labels: name="value", sorted.
func LabelList(grouping map[string]string) string {
	var l []string
	for _, name := range slices.Sorted(maps.Keys(grouping)) {
		l = append(l, fmt.Sprintf("%s=%q", name, grouping[name]))
	}
	return "{" + strings.Join(l, ",") + "}"
}
