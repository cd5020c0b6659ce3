package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/units"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/soak"
	"github.com/soakrun/soakrun/supervisor"
)

// processCommands are the old process manager's functions, over the same
// code the supervisor uses.
func processCommands() []*cli.Command {
	return []*cli.Command{
		{
			Name:      "ps",
			Usage:     "print a process and its whole tree as JSON",
			ArgsUsage: "PID",
			Action: func(c *cli.Context) error {
				pid, err := pidArg(c)
				if err != nil {
					return err
				}
				info, err := proc.Tree(pid)
				if err != nil {
					return failf("ps: %v", err)
				}
				return printJSON(info)
			},
		},
		{
			Name:      "kill",
			Usage:     "stop a process and its whole tree: signal, grace, SIGKILL; exit 0 only when all are gone",
			ArgsUsage: "PID",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "kill-after", Value: "5s", Usage: "grace before SIGKILL (`DURATION`)"},
				&cli.StringFlag{Name: "signal", Value: "TERM", Usage: "first `SIGNAL`"},
				&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "say nothing but errors"},
			},
			Action: func(c *cli.Context) error {
				pid, err := pidArg(c)
				if err != nil {
					return err
				}
				grace, err := units.ParseDuration(c.String("kill-after"))
				if err != nil {
					return failf("--kill-after: %v", err)
				}
				sig, err := supervisor.ParseSignal(c.String("signal"))
				if err != nil {
					return failf("--signal: %v", err)
				}
				logf := soak.StdConsole(c.Bool("quiet")).Logf
				if err := supervisor.KillTree(pid, sig, grace, logf); err != nil {
					return exitError{code: 1, msg: fmt.Sprintf("kill %d: %v", pid, err)}
				}
				return nil
			},
		},
		{
			Name:  "zombies",
			Usage: "list zombie processes with their parents as JSON (none exist on Windows)",
			Action: func(c *cli.Context) error {
				zs, err := proc.Zombies()
				if err != nil {
					return failf("zombies: %v", err)
				}
				return printJSON(zs)
			},
		},
	}
}

func pidArg(c *cli.Context) (int, error) {
	if c.NArg() != 1 {
		return 0, failf("%s: want exactly one PID, got %d arguments", c.Command.Name, c.NArg())
	}
	pid, err := strconv.Atoi(c.Args().First())
	if err != nil || pid <= 0 {
		return 0, failf("%s: %q is not a pid", c.Command.Name, c.Args().First())
	}
	return pid, nil
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return failf("write output: %v", err)
	}
	return nil
}
