//go:build cgo

package supervisor

// The signal state soakrun was started with must reach the command (a
// signal its parent ignored stays ignored, the mask it inherited stays
// blocked), as it does under GNU timeout and tini. Go's runtime makes that
// state unknowable from Go: before main it installs its own handler on
// every signal it may need (SIGPIPE, SIGSEGV, SIGTERM, SIGUSR1, ...),
// keeping an inherited SIG_IGN only for SIGHUP and SIGINT and leaving job
// control (TSTP, TTIN, TTOU, CONT) alone, and it unblocks in every thread
// the signals it handles; what was there before is kept only in the
// runtime's private fwdSig and initSigmask (golang.org/issue/21078). So a
// C constructor, which runs before the Go runtime starts, records it.

/*
#include <signal.h>
#include <stdint.h>

static uint64_t soakrun_inherited_ignored, soakrun_inherited_blocked;

__attribute__((constructor)) static void soakrun_record_signals(void) {
	struct sigaction sa;
	sigset_t mask;
	for (int sig = 1; sig <= 64; sig++) {
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			soakrun_inherited_ignored |= (uint64_t)1 << (sig - 1);
	}
	if (sigprocmask(SIG_BLOCK, NULL, &mask) == 0) {
		for (int sig = 1; sig <= 64; sig++) {
			if (sigismember(&mask, sig) == 1)
				soakrun_inherited_blocked |= (uint64_t)1 << (sig - 1);
		}
	}
}

static uint64_t soakrun_ignored(void) { return soakrun_inherited_ignored; }
static uint64_t soakrun_blocked(void) { return soakrun_inherited_blocked; }
*/
import "C"

// inheritedSignals is the signal state this process was started with: the
// ignored set and the mask, bit n-1 for signal n as in /proc/PID/status.
// complete is true: it was read before the Go runtime changed anything.
func inheritedSignals() (ignored, blocked uint64, complete bool) {
	return uint64(C.soakrun_ignored()), uint64(C.soakrun_blocked()), true
}
