package main

import (
	"os"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/soak"
)

// compareCommand sets a run against a baseline: did it get worse?
func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "did NEW get worse than BASE? each judged metric's level and slope tested against both runs' noise: JSON on stdout, one line on stderr",
		ArgsUsage: "BASE.jsonl NEW.jsonl",
		Flags: append(judgingFlags(),
			&cli.IntFlag{Name: "worse-exit-code", Value: soak.ExitWorse, Usage: "exit `CODE` when the new run is worse (0: advisory)"},
			&cli.StringFlag{Name: "html", Usage: "also write a page with both runs on one chart per metric to `PATH`"},
			&cli.StringFlag{Name: "markdown", Usage: "append the comparison as a markdown block to `PATH` (default: $GITHUB_STEP_SUMMARY, when set)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary on stderr"},
		),
		Action: compareAction,
	}
}

func compareAction(c *cli.Context) error {
	if c.NArg() != 2 {
		return failf("compare: want BASE and NEW, got %d arguments", c.NArg())
	}
	o, err := parseVerdictOptions(c)
	if err != nil {
		return err
	}
	worseCode := c.Int("worse-exit-code")
	if worseCode < 0 || worseCode > 255 {
		return failf("--worse-exit-code: %d is not an exit code (0-255)", worseCode)
	}
	var runs [2]*report.Series
	for i, path := range c.Args().Slice() {
		if runs[i], _, err = readSeries("compare", path); err != nil {
			return err
		}
	}
	cmp := report.Compare(runs[0], runs[1], report.CompareOptions{Options: o.analysis})
	b, err := cmp.JSON()
	if err != nil {
		return failf("compare: %v", err)
	}
	if _, err := os.Stdout.Write(b); err != nil {
		return failf("compare: write: %v", err)
	}
	p := report.Publication{HTMLPath: c.String("html"), JobSummaryPath: c.String("markdown")}
	if p.JobSummaryPath == "" {
		p.JobSummaryPath = os.Getenv("GITHUB_STEP_SUMMARY")
	}
	if !c.Bool("quiet") {
		p.Summary = os.Stderr
	}
	if err := cmp.Publish(runs[0], runs[1], p); err != nil {
		return failf("compare: %v", err)
	}
	if cmp.Verdict == report.Worse && worseCode != 0 {
		return exitError{code: worseCode}
	}
	return nil
}
