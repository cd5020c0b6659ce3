//go:build !linux

package supervisor

import (
	"os/signal"
	"syscall"
)

// IgnoredAtStart reports whether sig was ignored when this process started,
// as far as Go's runtime kept it: for SIGHUP and SIGINT.
func IgnoredAtStart(sig syscall.Signal) bool { return signal.Ignored(sig) }
