package main

import "syscall"

// stopSignals: Go sees a console's Ctrl+C and Ctrl+Break as SIGINT, and a
// closed console or a shutdown as SIGTERM.
var stopSignals = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// passSignals: Windows has none.
var passSignals []syscall.Signal

// survivePipeErrors has nothing to do on Windows: a write to a closed pipe
// fails with an error there, never a signal.
func survivePipeErrors() {}
