// Command soakrun runs a soak test so that nothing it starts outlives the
// run, watches the whole process tree and the host while it runs, and exits
// with a code that reflects both the run and the leak verdict.
//
//	soakrun [flags] -- COMMAND [ARGS...]
package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/soakrun/soakrun/supervisor"
)

func main() {
	supervisor.GuardMain() // when started as the tree's guard, only that
	stop := make(chan os.Signal, 2)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	os.Exit(run(os.Args, stop))
}
