//go:build linux || darwin

package supervisor

import (
	"os"
	"os/signal"
	"syscall"
)

// StopSignals stop the run: a terminal's ^C (INT) and ^\ (QUIT), a
// runner's cancel (TERM), a closed terminal (HUP). Each is forwarded as it
// is to every member of the tree, as GNU timeout forwards what it gets;
// SIGQUIT too, never Go's goroutine dump and exit 2.
var StopSignals = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// PassSignals are the command's own business (log rotation, a dump): each
// goes to the command's process alone, as tini passes signals on, because
// its children may not expect them (SIGUSR1's default action is to die).
var PassSignals = []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2}

// TimeUpSignals end the run's time at once, as GNU timeout takes a
// SIGALRM: the stop is the timeout's (evidence first, then the signal, the
// grace and the kill; exit 124). A second one during the grace kills the
// tree at once, as a second stop signal does.
var TimeUpSignals = []syscall.Signal{syscall.SIGALRM}

// notifyPipe asks for SIGPIPE and lets it go.
func notifyPipe() {
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	go func() {
		for range pipe {
		}
	}()
}
