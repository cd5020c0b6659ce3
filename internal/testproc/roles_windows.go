package testproc

import (
	"os"
	"os/signal"
	"time"
)

// osRole runs the roles only Windows has.
func osRole(role string, args []string) int {
	switch role {
	case "spawn": // spawn [exit] -- ROLE...: start a child, then sleep or exit
		return spawn(args)
	case "ignore-break": // ignore-break DURATION: survives CTRL_BREAK (Go sees it as os.Interrupt)
		signal.Ignore(os.Interrupt)
		ready(role)
		time.Sleep(duration(arg(args, 0)))
		return 0
	}
	fail("unknown role " + role)
	return 2
}

func spawn(args []string) int {
	exit := false
	i := 0
	for ; i < len(args) && args[i] != "--"; i++ {
		exit = exit || args[i] == "exit"
	}
	if i >= len(args)-1 {
		fail("spawn needs -- ROLE")
	}
	cmd := Command(args[i+1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fail(err.Error())
	}
	ready("spawn")
	if exit {
		return 0
	}
	cmd.Wait()
	time.Sleep(time.Hour)
	return 0
}
