package supervisor

import (
	"errors"
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/soakrun/soakrun/internal/fdbudget"
	"github.com/soakrun/soakrun/proc"
)

// signalMember sends sig to the process named by id, and to no other. A
// pidfd pins the process: once opened, a matching start time proves the fd
// names our member and not a stranger that inherited its pid, and the
// signal goes through the fd, so the pid cannot be recycled in between.
func signalMember(id proc.Identity, sig syscall.Signal) error {
	fd, err := unix.PidfdOpen(id.PID, 0)
	switch {
	case errors.Is(err, unix.ESRCH):
		return errGone
	case errors.Is(err, unix.EINVAL):
		// Kernels before 6.9 say EINVAL, not ESRCH, for a pid that is
		// gone, or that is now only a thread group's zombie leader:
		// the check tells which.
		return signalChecked(id, sig)
	case errors.Is(err, unix.ENOSYS), fdbudget.Process().Short(err):
		// Kernels before 5.3; or no descriptor to spare: a member is
		// never skipped for want of one.
		return signalChecked(id, sig)
	case err != nil:
		return fmt.Errorf("pidfd_open %d: %w", id.PID, err)
	}
	defer unix.Close(fd)
	if err := checkIdentity(id); err != nil {
		return err
	}
	if err := unix.PidfdSendSignal(fd, sig, nil, 0); err != nil {
		if errors.Is(err, unix.ESRCH) {
			return errGone
		}
		return fmt.Errorf("signal %s to %d: %w", signalName(sig), id.PID, err)
	}
	return nil
}
