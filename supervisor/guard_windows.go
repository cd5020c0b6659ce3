package supervisor

import "os"

// GuardMain turns this process into a console-event sender if it was
// started as one (see console_windows.go), and then never returns.
// Programs that run a Supervisor call it first thing in main (tests in
// TestMain): the sender is this same executable. No guard is needed on
// Windows: closing the job when soakrun dies
// (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE) kills the tree.
func GuardMain() {
	spec, ok := os.LookupEnv(envConsoleEvent)
	if !ok {
		return
	}
	os.Exit(runConsoleSender(spec))
}
