package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/soakrun/soakrun/supervisor"
)

// signals are the signals soakrun handles, by where they go.
type signals struct {
	// stop: forwarded to the whole tree, then the grace and the kill.
	interrupts chan os.Signal
	// pass: handed to the command's own process; the run goes on.
	pass chan os.Signal
}

// watchSignals asks for the signals soakrun handles (stopSignals and
// passSignals, per platform). One that was ignored when soakrun started
// (SIGHUP under nohup, SIGINT and SIGQUIT in a background job) stays
// ignored, as it does for the command: catching it would end a run its
// user meant to survive it.
func watchSignals() signals {
	sigs := signals{interrupts: make(chan os.Signal, 2), pass: make(chan os.Signal, 4)}
	notify := func(ch chan os.Signal, list []syscall.Signal) {
		for _, sig := range list {
			if !supervisor.IgnoredAtStart(sig) {
				signal.Notify(ch, sig)
			}
		}
	}
	notify(sigs.interrupts, stopSignals)
	notify(sigs.pass, passSignals)
	survivePipeErrors()
	return sigs
}
