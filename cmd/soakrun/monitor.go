package main

import (
	"context"
	"os"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/units"
	"github.com/soakrun/soakrun/soak"
)

// monitorCommand is the psutil monitor's standalone use: sample the host, and
// an existing tree with --pid, launching nothing.
func monitorCommand(stop <-chan os.Signal) *cli.Command {
	return &cli.Command{
		Name:      "monitor",
		Usage:     "sample the host (and an existing process tree with --pid) without launching anything",
		ArgsUsage: " ",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "duration", Value: "0", Usage: "stop after `DURATION` (0: until a signal or the pid's exit)"},
			&cli.StringFlag{Name: "pid", Usage: "also sample the tree of process `PID`; stop when it exits"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "say nothing on stderr but errors"},
		}, samplingFlags()...),
		Action: func(c *cli.Context) error { return monitorAction(c, stop) },
	}
}

func monitorAction(c *cli.Context, stop <-chan os.Signal) error {
	if c.Args().Present() {
		return failf("monitor: unexpected argument %q (to run a command: soakrun [flags] -- COMMAND)", c.Args().First())
	}
	duration, err := units.ParseDuration(c.String("duration"))
	if err != nil {
		return failf("--duration: %v", err)
	}
	o, err := parseSamplingOptions(c)
	if err != nil {
		return err
	}
	cfg := soak.MonitorConfig{Sampling: o, Duration: duration, Console: soak.StdConsole(c.Bool("quiet"))}
	if s := c.String("pid"); s != "" {
		if cfg.PID, err = strconv.Atoi(s); err != nil || cfg.PID <= 0 {
			return failf("--pid: %q is not a process id", s)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case sig := <-stop:
			cfg.Console.Logf("received %s; stopping", sig)
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := soak.Monitor(ctx, cfg); err != nil {
		return failf("%v", err)
	}
	return nil
}
