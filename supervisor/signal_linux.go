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
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOENT):
		// The pid is no process's own: a member gone between the
		// listing and the signal that the kernel still knows (EINVAL
		// before 6.9), or a thread's id (EINVAL before 6.9, ENOENT
		// since). The check tells whether it is still our member.
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
