package testproc

import (
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/windows"
)

// osRole runs the roles only Windows has.
func osRole(role string, args []string) int {
	switch role {
	case "spawn": // spawn [exit] [detached] -- ROLE...: start a child (detached: without a console), then sleep or exit
		return spawn(args)
	case "ignore-ctrl": // ignore-ctrl DURATION: survives CTRL_C and CTRL_BREAK
		// Go reports both as os.Interrupt. signal.Ignore would not do: the
		// runtime then passes the event on to the default handler, which
		// exits; a handled event is one that is ignored.
		signal.Notify(make(chan os.Signal, 1), os.Interrupt)
		ready(role)
		time.Sleep(duration(arg(args, 0)))
		return 0
	}
	fail("unknown role " + role)
	return 2
}

func spawn(args []string) int {
	exit, detached := false, false
	i := 0
	for ; i < len(args) && args[i] != "--"; i++ {
		exit = exit || args[i] == "exit"
		detached = detached || args[i] == "detached"
	}
	if i >= len(args)-1 {
		fail("spawn needs -- ROLE")
	}
	cmd := Command(args[i+1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if detached {
		cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.DETACHED_PROCESS}
	}
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
