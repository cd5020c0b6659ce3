package main

import (
	"context"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/soak"
	"github.com/soakrun/soakrun/supervisor"
)

func runFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "timeout", Value: "0", Usage: "stop the whole tree after `DURATION` (0: never): 90, 1.5, 500ms, 72h, 3d"},
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

// runOptions are the root flags, checked.
type runOptions struct {
	sup            supervisor.Supervisor
	sampling       soak.Sampling
	verdict        verdictOptions
	limits         limitOptions
	evidence       soak.Evidence
	leakCheck      bool
	preserveStatus bool
	quiet          bool
	verbose        bool
	foreground     bool
}

func parseRunOptions(c *cli.Context) (*runOptions, error) {
	o := &runOptions{}
	timeout, err := parseDuration(c.String("timeout"))
	if err != nil {
		return o, failf("--timeout: %v", err)
	}
	killAfter, err := parseDuration(c.String("kill-after"))
	if err != nil {
		return o, failf("--kill-after: %v", err)
	}
	sig, err := supervisor.ParseSignal(c.String("signal"))
	if err != nil {
		return o, failf("--signal: %v", err)
	}
	cgroupMode, err := supervisor.ParseCgroupMode(c.String("cgroup"))
	if err != nil {
		return o, failf("--cgroup: %v", err)
	}
	driver, err := cgroup.ParseDriver(c.String("cgroup-driver"))
	if err != nil {
		return o, failf("--cgroup-driver: %v", err)
	}
	var user *supervisor.User
	if c.Bool("as-invoking-user") {
		if user, err = supervisor.InvokingUser(); err != nil {
			return o, failf("--as-invoking-user: %v", err)
		}
	}
	if o.sampling, err = parseSamplingOptions(c); err != nil {
		return o, err
	}
	if o.verdict, err = parseVerdictOptions(c); err != nil {
		return o, err
	}
	o.leakCheck = !c.Bool("no-leak-check")
	if o.limits, err = parseLimitOptions(c, o.leakCheck, o.verdict.leakExitCode); err != nil {
		return o, err
	}
	if o.evidence, err = parseEvidenceOptions(c); err != nil {
		return o, err
	}
	o.preserveStatus, o.quiet = c.Bool("preserve-status"), c.Bool("quiet")
	if c.Bool("verbose") && o.quiet {
		return o, failf("--verbose and --quiet: choose one")
	}
	o.verbose = c.Bool("verbose")
	o.foreground = c.Bool("foreground")
	o.sup = supervisor.Supervisor{Timeout: timeout, KillAfter: killAfter, Signal: sig, Cgroup: cgroupMode, CgroupDriver: driver, User: user, CloseLater: true}
	if killAfter == 0 {
		o.sup.KillAfter = -1 // --kill-after 0: no grace at all
	}
	return o, nil
}

func runAction(c *cli.Context, command []string, sigs signals) error {
	o, err := parseRunOptions(c)
	if err != nil {
		return err
	}
	if len(command) == 0 {
		return failf("no command given (usage: soakrun [flags] -- COMMAND [ARGS...])")
	}
	s := &o.sup
	s.Args = command
	s.Stdin, s.Stdout, s.Stderr = os.Stdin, os.Stdout, os.Stderr
	s.Interrupts, s.Pass, s.Foreground = sigs.interrupts, sigs.pass, o.foreground
	outcome, err := soak.Run(context.Background(), soak.Config{
		Supervisor:     s,
		Sampling:       o.sampling,
		Judge:          o.leakCheck,
		Verdict:        o.verdict.analysis,
		LeakExitCode:   o.verdict.leakExitCode,
		Ceilings:       o.limits.ceilings,
		AbortOnLeak:    o.limits.abortOnLeak,
		Evidence:       o.evidence,
		PreserveStatus: o.preserveStatus,
		Verbose:        o.verbose,
		Console:        stderrConsole(o.quiet),
		Version:        version,
	})
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
