package supervisor

import "syscall"

// StopSignals: Go sees a console's Ctrl+C and Ctrl+Break as SIGINT, and a
// closed console or a shutdown as SIGTERM.
var StopSignals = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// PassSignals: Windows has none.
var PassSignals []syscall.Signal

// TimeUpSignals: Windows has none.
var TimeUpSignals []syscall.Signal

// notifyPipe has nothing to do: a write to a closed pipe fails with an
// error on Windows, never a signal.
func notifyPipe() {}
