package main

import (
	"os"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/buildinfo"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/samples"
)

// analyzeCommand re-judges any series, soakrun's or the psutil monitor's.
func analyzeCommand() *cli.Command {
	return &cli.Command{
		Name:      "analyze",
		Usage:     "judge a JSONL series (soakrun's or the psutil monitor's): analysis JSON on stdout, the verdict on stderr",
		ArgsUsage: "FILE",
		Flags: append(verdictFlags(),
			&cli.StringFlag{Name: "html", Usage: "also write the HTML report to `PATH`"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no summary on stderr"},
		),
		Action: analyzeAction,
	}
}

func analyzeAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return failf("analyze: want exactly one FILE, got %d arguments", c.NArg())
	}
	o, err := parseVerdictOptions(c)
	if err != nil {
		return err
	}
	series, stats, err := readSeries("analyze", c.Args().First())
	if err != nil {
		return err
	}
	a := report.Analyze(series, o.analysis)
	a.Input = &stats
	a.SoakrunVersion = buildinfo.Version
	b, err := a.JSON()
	if err != nil {
		return failf("analyze: %v", err)
	}
	if _, err := os.Stdout.Write(b); err != nil {
		return failf("analyze: write: %v", err)
	}
	p := report.Publication{HTMLPath: c.String("html")}
	if !c.Bool("quiet") {
		if n := stats.Skipped(); n > 0 {
			errorf("skipped %d of %d line(s): %d corrupt, %d too long, truncated last line: %v",
				n, stats.Lines, stats.Corrupt, stats.TooLong, stats.TruncatedLast)
		}
		p.Summary = os.Stderr
	}
	if err := a.Publish(series, p); err != nil {
		return failf("analyze: %v", err)
	}
	if a.Fails() && o.leakExitCode != 0 {
		return exitError{code: o.leakExitCode}
	}
	return nil
}

// readSeries reads a JSONL series for the command verb.
func readSeries(verb, path string) (*report.Series, samples.ReadStats, error) {
	s, stats, err := report.ReadFile(path)
	if err != nil {
		return nil, stats, failf("%s: %v", verb, err)
	}
	return s, stats, nil
}
