package main

import (
	"context"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/internal/units"
	"github.com/soakrun/soakrun/soak"
	"github.com/soakrun/soakrun/supervisor"
)

func runFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "timeout", Value: "0", Usage: "stop the whole tree after `DURATION` (0: never; a SIGALRM to soakrun: now): 90, 1.5, 500ms, 72h, 3d"},
		&cli.StringFlag{Name: "kill-after", Value: "5s", Usage: "grace `DURATION` between the first signal and SIGKILL (0: none)"},
		&cli.StringFlag{Name: "signal", Value: "TERM", Usage: "first `SIGNAL` a stop sends (name or number; on Windows BREAK is CTRL_BREAK, KILL terminates at once, anything else is CTRL_C)"},
		&cli.StringFlag{Name: "cgroup", Value: "auto", Usage: "hold the tree in a cgroup of its own (Linux): `MODE` auto (where one can be had), off, or required (without one, exit 125 and run nothing)"},
		&cli.StringFlag{Name: "cgroup-driver", Value: "auto", Usage: "how the cgroup is had (Linux): `DRIVER` own (below soakrun's own cgroup), systemd (a delegated transient scope), cgroupfs (as root, below the nearest cgroup that passes the controllers down), or auto (own, else systemd where it manages the host, else cgroupfs)"},
		&cli.BoolFlag{Name: "as-invoking-user", Usage: "run the command and the hooks as the user who started soakrun through sudo (SUDO_UID, SUDO_GID, with that user's groups, HOME, USER and LOGNAME), and give that user the output files; soakrun keeps root for the cgroup (Linux, macOS)"},
		&cli.BoolFlag{Name: "foreground", Usage: "keep the command in soakrun's process group: it may read the terminal and gets ^C, ^Z directly (the whole tree is still stopped at the timeout); Unix only"},
		&cli.BoolFlag{Name: "preserve-status", Usage: "on timeout, exit with the command's status instead of 124"},
		&cli.BoolFlag{Name: "no-leak-check", Usage: "sample, but judge nothing: no analysis, no leak exit code"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "say nothing on stderr but errors and, when a leak or a CPU degradation fails the run, the verdict that explains its exit code"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "also log each orphan reaped, with its pid and name (the stop's steps are logged anyway)"},
	}, append(samplingFlags(), append(verdictFlags(), append(limitFlags(), evidenceFlags()...)...)...)...)
}

// runConfig turns the root flags into a soak of command.
func runConfig(c *cli.Context, command []string, sigs supervisor.Signals) (soak.Config, error) {
	var cfg soak.Config
	timeout, err := units.ParseDuration(c.String("timeout"))
	if err != nil {
		return cfg, failf("--timeout: %v", err)
	}
	killAfter, err := units.ParseDuration(c.String("kill-after"))
	if err != nil {
		return cfg, failf("--kill-after: %v", err)
	}
	sig, err := supervisor.ParseSignal(c.String("signal"))
	if err != nil {
		return cfg, failf("--signal: %v", err)
	}
	cgroupMode, err := supervisor.ParseCgroupMode(c.String("cgroup"))
	if err != nil {
		return cfg, failf("--cgroup: %v", err)
	}
	driver, err := cgroup.ParseDriver(c.String("cgroup-driver"))
	if err != nil {
		return cfg, failf("--cgroup-driver: %v", err)
	}
	var user *supervisor.User
	if c.Bool("as-invoking-user") {
		if user, err = supervisor.InvokingUser(); err != nil {
			return cfg, failf("--as-invoking-user: %v", err)
		}
	}
	if cfg.Sampling, err = parseSamplingOptions(c); err != nil {
		return cfg, err
	}
	v, err := parseVerdictOptions(c)
	if err != nil {
		return cfg, err
	}
	cfg.Judge, cfg.Verdict, cfg.LeakExitCode = !c.Bool("no-leak-check"), v.analysis, v.leakExitCode
	if cfg.Ceilings, cfg.AbortOnLeak, err = parseLimits(c, cfg.Judge, cfg.LeakExitCode); err != nil {
		return cfg, err
	}
	if cfg.Evidence, err = parseEvidenceOptions(c); err != nil {
		return cfg, err
	}
	quiet := c.Bool("quiet")
	if c.Bool("verbose") && quiet {
		return cfg, failf("--verbose and --quiet: choose one")
	}
	cfg.PreserveStatus, cfg.Verbose, cfg.Console = c.Bool("preserve-status"), c.Bool("verbose"), soak.StdConsole(quiet)
	if len(command) == 0 {
		return cfg, failf("no command given (usage: soakrun [flags] -- COMMAND [ARGS...])")
	}
	cfg.Supervisor = &supervisor.Supervisor{
		Args: command, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Timeout: timeout, KillAfter: killAfter, Signal: sig, Cgroup: cgroupMode, CgroupDriver: driver, User: user,
		Foreground: c.Bool("foreground"), Interrupts: sigs.Interrupts, Pass: sigs.Pass,
	}
	if killAfter == 0 {
		cfg.Supervisor.KillAfter = -1 // --kill-after 0: no grace at all
	}
	return cfg, nil
}

func runAction(c *cli.Context, command []string, sigs supervisor.Signals) error {
	cfg, err := runConfig(c, command, sigs)
	if err != nil {
		return err
	}
	outcome, err := soak.Run(context.Background(), cfg)
	if err != nil || outcome.ExitCode != 0 {
		return exitError{code: outcome.ExitCode, msg: errorText(err)}
	}
	return nil
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
