package main

import (
	"os"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/sampler"
	"github.com/soakrun/soakrun/supervisor"
)

// rootPollEvery is how often monitor --pid checks that its process lives.
const rootPollEvery = 500 * time.Millisecond

// monitorCommand is the old monitor's standalone use: sample the host, and
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
	duration, err := parseDuration(c.String("duration"))
	if err != nil {
		return failf("--duration: %v", err)
	}
	o, err := parseSamplingOptions(c)
	if err != nil {
		return err
	}
	logf := logger(c.Bool("quiet"))
	var tree *supervisor.Followed
	var src sampler.Config
	if s := c.String("pid"); s != "" {
		pid, err := strconv.Atoi(s)
		if err != nil || pid <= 0 {
			return failf("--pid: %q is not a process id", s)
		}
		if tree, err = supervisor.Follow(pid); err != nil {
			return failf("--pid: %v", err)
		}
		defer tree.Close()
		src.Members = tree.Members
	}
	smp, err := openSampling(o, src, liveViews{}, logf)
	if err != nil {
		return err
	}
	smp.pipe.Start()
	defer smp.close(logf)

	var deadline <-chan time.Time
	if duration > 0 {
		t := time.NewTimer(duration)
		defer t.Stop()
		deadline = t.C
	}
	var rootPoll <-chan time.Time
	if tree != nil {
		t := time.NewTicker(rootPollEvery)
		defer t.Stop()
		rootPoll = t.C
	}
	for {
		select {
		case <-deadline:
			logf("monitored for %s", duration)
			return nil
		case sig := <-stop:
			logf("received %s; stopping", sig)
			return nil
		case <-rootPoll:
			if !tree.RootAlive() {
				logf("process %s exited; stopping", c.String("pid"))
				return nil
			}
		}
	}
}
