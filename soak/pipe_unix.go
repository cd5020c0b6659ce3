//go:build linux || darwin

package soak

import (
	"os"
	"os/signal"
	"syscall"
)

// survivePipeErrors makes a write to a closed stdout or stderr fail with
// EPIPE instead of killing the process: Go exits with SIGPIPE on such a
// write unless the program asks for the signal.
func survivePipeErrors() {
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	go func() {
		for range pipe {
		}
	}()
}
