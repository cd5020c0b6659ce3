//go:build linux || darwin

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// stopSignals stop the run: a terminal's ^C (INT) and ^\ (QUIT), a
// runner's cancel (TERM), a closed terminal (HUP). Each is forwarded as it
// is to every member of the tree, as GNU timeout forwards what it gets;
// SIGQUIT too, never Go's goroutine dump and exit 2.
var stopSignals = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// passSignals are the command's own business (log rotation, a dump): each
// goes to the command's process alone, as tini passes signals on, because
// its children may not expect them (SIGUSR1's default action is to die).
var passSignals = []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2}

// survivePipeErrors makes a write to a closed stdout or stderr fail with
// EPIPE instead of killing soakrun: Go exits with SIGPIPE on such a write
// unless the program asks for the signal. Asking (rather than ignoring it)
// leaves the disposition the command inherits alone.
func survivePipeErrors() {
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	go func() {
		for range pipe {
		}
	}()
}
