package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/supervisor"
)

func verdictFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "leak-threshold", Value: "10", Usage: "growth per hour that is a leak: `MB/h` of memory, or a list such as memory=10,handles=10,threads=5,processes=2,zombies=2,disk=1 (GB); off disables one"},
		&cli.StringFlag{Name: "warmup", Value: "auto", Usage: "leave `DURATION` at the start out of the verdict (auto: a tenth of the run, at most 1h)"},
		&cli.StringFlag{Name: "min-span", Value: "10m", Usage: "judge nothing in a run shorter than `DURATION` after the warm-up (verdict: insufficient data)"},
		&cli.IntFlag{Name: "leak-exit-code", Value: 3, Usage: "exit `CODE` when the command succeeded but a leak was found (0: advisory)"},
	}
}

// verdictOptions are the analysis flags, checked.
type verdictOptions struct {
	analysis     report.Options
	leakExitCode int
}

func parseVerdictOptions(c *cli.Context) (verdictOptions, error) {
	var o verdictOptions
	th, err := parseThresholds(c.String("leak-threshold"))
	if err != nil {
		return o, failf("--leak-threshold: %v", err)
	}
	o.analysis.Thresholds = th
	o.analysis.Warmup = -1
	if w := c.String("warmup"); w != "auto" {
		if o.analysis.Warmup, err = parseDuration(w); err != nil {
			return o, failf("--warmup: %v", err)
		}
	}
	if o.analysis.MinSpan, err = parseDuration(c.String("min-span")); err != nil {
		return o, failf("--min-span: %v", err)
	}
	o.leakExitCode = c.Int("leak-exit-code")
	if o.leakExitCode < 0 || o.leakExitCode > 255 {
		return o, failf("--leak-exit-code: %d is not an exit code (0-255)", o.leakExitCode)
	}
	return o, nil
}

// thresholdNames are the names --leak-threshold accepts.
var thresholdNames = map[string][]report.Metric{
	"memory":    {report.TreeMemory, report.HostMemory},
	"handles":   {report.Handles},
	"threads":   {report.Threads},
	"processes": {report.Processes},
	"zombies":   {report.Zombies},
	"disk":      {report.DiskUsed},
}

// parseThresholds reads "10", "10MB/h" (memory only) or a comma-separated
// list of name=rate, over soakrun's defaults. "off" disables a metric.
func parseThresholds(s string) (report.Thresholds, error) {
	th := report.Thresholds{}
	for m, v := range report.DefaultThresholds {
		th[m] = v
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("empty")
	}
	if !strings.Contains(s, "=") {
		v, err := parseRate(strings.TrimSuffix(strings.TrimSuffix(s, "/h"), "MB"))
		if err != nil {
			return nil, err
		}
		th[report.TreeMemory], th[report.HostMemory] = v, v
		return th, nil
	}
	for item := range strings.SplitSeq(s, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(item), "=")
		metrics, ok := thresholdNames[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return nil, fmt.Errorf("unknown metric %q (want memory, handles, threads, processes, zombies or disk)", name)
		}
		v, err := parseRate(value)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		for _, m := range metrics {
			th[m] = v
		}
	}
	return th, nil
}

func parseRate(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "off") {
		return math.Inf(1), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0, fmt.Errorf("%q is not a positive rate per hour (or off)", s)
	}
	return v, nil
}

// analysisPath is where the analysis of the series at output goes:
// resources.jsonl → resources.analysis.json.
func analysisPath(output string) string {
	return strings.TrimSuffix(output, ".jsonl") + ".analysis.json"
}

// runFacts puts the supervisor's account of the run into the analysis.
func runFacts(r supervisor.Result, code int, f report.RunFacts) *report.RunFacts {
	f.Containment = r.Containment
	f.ExitCode, f.ExitStatus, f.TimedOut = code, r.ExitStatus, r.TimedOut
	f.OrphansReaped = r.OrphansReaped
	if r.Signal != 0 {
		f.Signal = supervisor.SignalName(r.Signal)
	}
	if r.Interrupted != nil {
		f.Interrupted = r.Interrupted.String()
	}
	f.LeftoversKilled, f.Unkillable = names(r.Leftovers), names(r.Unkillable)
	return &f
}

func names(ps []proc.Process) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// printSummary writes the verdict and its numbers to stderr.
func printSummary(a *report.Analysis) {
	for line := range strings.Lines(a.Summary()) {
		fmt.Fprint(os.Stderr, "soakrun: "+line)
	}
	fmt.Fprintln(os.Stderr)
}
