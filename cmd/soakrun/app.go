package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/buildinfo"
	"github.com/soakrun/soakrun/soak"
	"github.com/soakrun/soakrun/supervisor"
)

// exitError carries an exit code out of a cli action. An empty message
// prints nothing: the action already said what there was to say.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

// failf is soakrun's own failure: one line on stderr, exit 125.
func failf(format string, args ...any) error {
	return exitError{code: supervisor.ExitFailure, msg: fmt.Sprintf(format, args...)}
}

// run is main without os.Exit: tests call it in a re-executed test binary.
func run(args []string, sigs supervisor.Signals) int {
	// Everything after the first "--" is the command, never soakrun's flags
	// or subcommands: `soakrun -- ps aux` runs ps, it does not list a tree.
	var command []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, command = args[:i], args[i+1:]
	}
	// --version prints the version and runs nothing, so it must stand
	// alone: a CI step that ported `timeout -v ... -- false` must not pass
	// without running its command.
	if slices.ContainsFunc(args, isVersionFlag) && (len(args) > 2 || command != nil) {
		errorf("--version prints the version and runs nothing: give it alone (for the stop's steps and reaped orphans: --verbose, -v)")
		return supervisor.ExitFailure
	}
	err := newApp(command, sigs).Run(args)
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		if ee.msg != "" {
			errorf("%s", ee.msg)
		}
		return ee.code
	}
	errorf("%s", strings.TrimSpace(err.Error()))
	return supervisor.ExitFailure
}

// isVersionFlag: --version, long only (-v is --verbose, as in GNU timeout).
func isVersionFlag(arg string) bool {
	return arg == "--version" || arg == "-version" || strings.HasPrefix(arg, "--version=")
}

//go:generate go test -run ^TestGeneratedDocsAreCurrent$ . -args -update-docs

func newApp(command []string, sigs supervisor.Signals) *cli.App {
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version and exit (alone: with a command, exit 125)"}
	return &cli.App{
		Name:      "soakrun",
		Usage:     "run a soak test: contain its whole process tree, watch it, judge it",
		UsageText: "soakrun [flags] -- COMMAND [ARGS...]\nsoakrun monitor [--pid PID] [--duration D] [flags]\nsoakrun analyze [--leak-threshold R] [--warmup D] FILE\nsoakrun compare [--html PATH] [--worse-exit-code N] BASE.jsonl NEW.jsonl\nsoakrun ps|kill|zombies ...",
		Version:   buildinfo.Long,
		// The exit codes and the duration grammar, at the end of --help.
		Description:           helpDescription(),
		CustomAppHelpTemplate: helpTemplate(),
		Flags:                 runFlags(),
		Action: func(c *cli.Context) error {
			cmd := command
			if cmd == nil {
				cmd = c.Args().Slice()
			}
			return runAction(c, cmd, sigs)
		},
		Commands:             append(processCommands(), monitorCommand(sigs.Interrupts), analyzeCommand(), compareCommand()),
		OnUsageError:         usageError,
		ExitErrHandler:       func(*cli.Context, error) {}, // run prints and exits
		HideHelpCommand:      true,
		Suggest:              true,
		EnableBashCompletion: false,
	}
}

// errorf says one line of soakrun's own on stderr, the way soakrun's
// console (soak.StdConsole) says everything there.
func errorf(format string, args ...any) { soak.StdConsole(false).Errorf(format, args...) }

func usageError(_ *cli.Context, err error, _ bool) error {
	return failf("%v (see soakrun --help)", err)
}
