package supervisor

import "syscall"

// IgnoredAtStart reports whether sig was ignored when this process
// started (nohup's SIGHUP, a background job's SIGINT and SIGQUIT): such a
// signal is the caller's to leave alone, neither caught nor forwarded.
func IgnoredAtStart(sig syscall.Signal) bool {
	ignored, _, _ := inheritedSignals()
	return sig >= 1 && sig <= 64 && ignored&(1<<(sig-1)) != 0
}
