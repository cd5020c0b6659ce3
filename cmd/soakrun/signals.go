package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/soakrun/soakrun/supervisor"
)

// watchSignals asks for the signals soakrun handles: the stop signals come
// on the returned channel, for the supervisor to forward to the tree. A
// stop signal that was ignored when soakrun started (SIGHUP under nohup,
// SIGINT in a background job) stays ignored, as it does for the command:
// catching it would end a run its user meant to survive it.
func watchSignals() chan os.Signal {
	stop := make(chan os.Signal, 2)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		if !supervisor.IgnoredAtStart(sig) {
			signal.Notify(stop, sig)
		}
	}
	survivePipeErrors()
	return stop
}
