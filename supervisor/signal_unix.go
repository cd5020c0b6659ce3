//go:build linux || darwin

package supervisor

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/soakrun/soakrun/proc"
)

// killSignal is the signal that cannot be caught.
const killSignal = syscall.SIGKILL

// checkIdentity confirms the pid still names the member.
func checkIdentity(id proc.Identity) error {
	p, err := proc.Get(id.PID)
	if errors.Is(err, proc.ErrNotFound) {
		return errGone
	}
	if err != nil {
		return err
	}
	if p.Start != id.Start {
		return fmt.Errorf("pid %d: %w", id.PID, ErrNotOurs)
	}
	return nil
}

// signalChecked is the fallback without pidfds: check, then kill(2). The
// window between the two is as small as it can be made without a pidfd.
func signalChecked(id proc.Identity, sig syscall.Signal) error {
	if err := checkIdentity(id); err != nil {
		return err
	}
	if err := syscall.Kill(id.PID, sig); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return errGone
		}
		return fmt.Errorf("signal %s to %d: %w", signalName(sig), id.PID, err)
	}
	return nil
}

// passSignal sends a signal soakrun received on to the command's process.
func passSignal(main proc.Identity, got os.Signal) error {
	sig, ok := got.(syscall.Signal)
	if !ok {
		return fmt.Errorf("not a signal number: %v", got)
	}
	if err := signalMember(main, sig); err != nil && !errors.Is(err, errGone) {
		return err
	}
	return nil
}

// continueAll sends SIGCONT after a stop signal: a member stopped by
// SIGSTOP or ^Z cannot act on the stop signal, nor die of it, until it is
// continued, and would otherwise wait for the kill after the grace. GNU
// timeout does the same.
func continueAll(members []proc.Process, sig syscall.Signal) error {
	if !continues(sig) {
		return nil
	}
	return signalAll(members, syscall.SIGCONT)
}

// continues says whether a stop with sig is followed by SIGCONT.
func continues(sig syscall.Signal) bool { return sig != syscall.SIGKILL && sig != syscall.SIGCONT }

// ParseSignal reads a signal name ("TERM", "SIGTERM", "term") or number.
func ParseSignal(s string) (syscall.Signal, error) {
	if n, err := parseSignalNumber(s); err == nil {
		return n, nil
	}
	name := normaliseSignalName(s)
	if sig := unix.SignalNum(name); sig != 0 {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown signal %q", s)
}

func signalName(sig syscall.Signal) string {
	if n := unix.SignalName(sig); n != "" {
		return n
	}
	return fmt.Sprintf("signal %d", int(sig))
}

// forwardedSignal is what a stop started by a signal to soakrun sends: the
// signal soakrun got, as GNU timeout forwards it.
func forwardedSignal(got os.Signal, configured syscall.Signal) syscall.Signal {
	if sig, ok := got.(syscall.Signal); ok {
		return sig
	}
	return configured
}
