package main

import (
	"os"
	"os/signal"
	"syscall"
)

// watchSignals asks for the signals soakrun handles: the stop signals come
// on the returned channel, for the supervisor to forward to the tree.
func watchSignals() chan os.Signal {
	stop := make(chan os.Signal, 2)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	survivePipeErrors()
	return stop
}
