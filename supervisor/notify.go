package supervisor

import (
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
)

// Signals are the signals a supervising process handles, by where they go:
// a Supervisor's Interrupts and Pass.
type Signals struct {
	// Interrupts stop the run: forwarded to the whole tree, then the grace
	// and the kill; or, for TimeUpSignals, the timeout's stop.
	Interrupts chan os.Signal
	// Pass are handed to the command's own process; the run goes on.
	Pass chan os.Signal
}

// NotifySignals asks for the signals a supervising process handles
// (StopSignals, TimeUpSignals and PassSignals), and for SIGPIPE
// (SurvivePipeErrors). One that was ignored when the process started
// (SIGHUP under nohup, SIGINT and SIGQUIT in a background job) stays
// ignored, by this process as by the command: catching it would end a run
// its user meant to survive it.
func NotifySignals() Signals {
	SurvivePipeErrors()
	sigs := Signals{Interrupts: make(chan os.Signal, 2), Pass: make(chan os.Signal, 4)}
	notify := func(ch chan os.Signal, list []syscall.Signal) {
		for _, sig := range list {
			if IgnoredAtStart(sig) {
				// Go's runtime keeps only SIGHUP and SIGINT ignored; any
				// other would end this process (SIGQUIT with a goroutine
				// dump) unless it is ignored again.
				signal.Ignore(sig)
			} else {
				signal.Notify(ch, sig)
			}
		}
	}
	notify(sigs.Interrupts, slices.Concat(StopSignals, TimeUpSignals))
	notify(sigs.Pass, PassSignals)
	return sigs
}

var pipeOnce sync.Once

// SurvivePipeErrors makes a write to a closed stdout or stderr fail with
// EPIPE instead of killing the process: Go exits with SIGPIPE on such a
// write unless the program asks for the signal (see os/signal, "SIGPIPE").
// Asking, rather than ignoring it, leaves the disposition the command
// inherits alone. On Windows a write to a closed pipe fails with an error
// anyway.
func SurvivePipeErrors() { pipeOnce.Do(notifyPipe) }

// timeUp reports whether sig is one of TimeUpSignals.
func timeUp(sig os.Signal) bool {
	s, ok := sig.(syscall.Signal)
	return ok && slices.Contains(TimeUpSignals, s)
}
