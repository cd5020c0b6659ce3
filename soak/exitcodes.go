package soak

import (
	"strconv"

	"github.com/soakrun/soakrun/supervisor"
)

// Exit codes of a run besides the command's own and 124–127
// (supervisor.ExitTimeout and the rest).
const (
	// ExitLeak is the default exit code of a run whose command succeeded
	// but whose tree leaked or whose CPU degraded (Config.LeakExitCode).
	ExitLeak = 3
	// ExitWorse is soakrun compare's exit code when the new run is worse.
	ExitWorse = 4
	// ExitCeiling is the exit code of a run stopped at a hard ceiling
	// (Config.Ceilings).
	ExitCeiling = 5
)

// ExitStatus is one row of soakrun's exit-code reference: a code, or
// the kind of code, and what it means, in the words of soakrun's flags.
type ExitStatus struct{ Code, Meaning string }

// ExitCodes are every exit code a run of soakrun, or one of its
// subcommands, can end with: --help, the generated reference and the
// README's table lay them out.
var ExitCodes = []ExitStatus{
	{"the command's", "it exited by itself"},
	{"128+N", "the command died of signal N; also a run stopped by signal N to soakrun whose command still exited 0 (an interrupted run never reports success)"},
	{strconv.Itoa(supervisor.ExitTimeout), "the timeout fired, or SIGALRM to soakrun ended its time (--preserve-status: the command's own status)"},
	{strconv.Itoa(supervisor.ExitFailure), "soakrun itself failed: unknown flag, bad value, failed setup (--cgroup=required without a cgroup), a tree it could not empty; one line on stderr names the problem"},
	{strconv.Itoa(supervisor.ExitNotExecutable), "the command was found but cannot be executed"},
	{strconv.Itoa(supervisor.ExitNotFound), "the command was not found"},
	{strconv.Itoa(ExitLeak), "--leak-exit-code: the command succeeded, but a leak or a CPU degradation was found; or --abort-on-leak stopped the run when the verdict was in"},
	{strconv.Itoa(ExitWorse), "--worse-exit-code: soakrun compare found the new run worse than the baseline"},
	{strconv.Itoa(ExitCeiling), "--max-tree-memory or --max-processes: the tree passed a hard ceiling and was stopped"},
}

// ExitPrecedence says which code wins when several apply.
const ExitPrecedence = "Precedence: command failure > timeout, ceiling or early leak stop (whichever stopped the run first) > leak > success. " +
	"A stop soakrun decided on outranks the status the command died of because of it (--preserve-status gives the command's own status instead)."
