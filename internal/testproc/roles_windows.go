package testproc

import "time"

// The Windows roles are the ones the Windows tests need so far.
func run(role string, args []string) int {
	switch role {
	case "exit": // exit CODE
		return atoi(arg(args, 0))
	case "sleep": // sleep DURATION
		ready(role)
		time.Sleep(duration(arg(args, 0)))
		return 0
	}
	fail("unknown role " + role)
	return 2
}
