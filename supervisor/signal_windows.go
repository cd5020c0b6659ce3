package supervisor

import (
	"errors"
	"fmt"
	"syscall"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/proc"
)

// killSignal stands for TerminateProcess.
const killSignal = syscall.SIGKILL

// signalMember ends the process named by id, and no other: the handle pins
// the process, and its creation time proves it is the member. Windows has
// no signals to send one process: the graceful stop is a console event to
// the command's process group (see container_windows.go), so a signal to
// one member means termination.
func signalMember(id proc.Identity, _ syscall.Signal) error { return terminateMember(id) }

func terminateMember(id proc.Identity) error {
	h, err := windows.OpenProcess(windows.PROCESS_TERMINATE|windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(id.PID))
	if err != nil {
		if errors.Is(err, windows.ERROR_INVALID_PARAMETER) {
			return errGone
		}
		return fmt.Errorf("open process %d: %w", id.PID, err)
	}
	defer windows.CloseHandle(h)
	var created, exited, kernel, user windows.Filetime
	if err := windows.GetProcessTimes(h, &created, &exited, &kernel, &user); err != nil {
		return fmt.Errorf("read start time of %d: %w", id.PID, err)
	}
	if start := uint64(created.HighDateTime)<<32 | uint64(created.LowDateTime); id.Start != 0 && start != id.Start {
		return fmt.Errorf("pid %d: %w", id.PID, ErrNotOurs)
	}
	if err := windows.TerminateProcess(h, 1); err != nil {
		if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
			// Also what a process that is already exiting answers.
			return errGone
		}
		return fmt.Errorf("terminate %d: %w", id.PID, err)
	}
	return nil
}

// ParseSignal accepts the Unix names soakrun's flags use everywhere; on
// Windows every one of them means the same graceful stop, CTRL_BREAK.
func ParseSignal(s string) (syscall.Signal, error) {
	if n, err := parseSignalNumber(s); err == nil {
		return n, nil
	}
	switch normaliseSignalName(s) {
	case "SIGTERM":
		return syscall.SIGTERM, nil
	case "SIGINT", "SIGBREAK", "SIGCTRL_BREAK":
		return syscall.SIGINT, nil
	case "SIGHUP":
		return syscall.SIGHUP, nil
	case "SIGKILL":
		return syscall.SIGKILL, nil
	case "SIGQUIT":
		return syscall.SIGQUIT, nil
	}
	return 0, fmt.Errorf("unknown signal %q", s)
}

func signalName(sig syscall.Signal) string {
	if sig == syscall.SIGKILL {
		return "termination"
	}
	return "CTRL_BREAK"
}
