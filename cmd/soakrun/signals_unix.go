//go:build linux || darwin

package main

import (
	"os"
	"os/signal"
	"syscall"
)

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
