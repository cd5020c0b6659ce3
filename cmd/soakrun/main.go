// Command soakrun runs a soak test so that nothing it starts outlives the
// run, watches the whole process tree and the host while it runs, and exits
// with a code that reflects both the run and the leak verdict.
//
//	soakrun [flags] -- COMMAND [ARGS...]
package main

import (
	"os"

	"github.com/soakrun/soakrun/supervisor"
)

func main() {
	supervisor.GuardMain() // when started as the tree's guard, only that
	os.Exit(run(os.Args, supervisor.NotifySignals()))
}
