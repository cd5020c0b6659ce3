package supervisor

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/winjob"
)

// killSignal stands for TerminateProcess.
const killSignal = syscall.SIGKILL

// signalMember ends the process named by id, and no other: the handle pins
// the process, and its creation time proves it is the member. Windows has
// no signals to send one process: the graceful stop is a console event to
// the command's console (see console_windows.go), so a signal to one
// member means termination.
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
	start, _, err := proc.Times(h)
	if err != nil {
		return fmt.Errorf("read start time of %d: %w", id.PID, err)
	}
	if id.Start != 0 && start != id.Start {
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

// sigBreak is the C runtime's SIGBREAK, which CTRL_BREAK raises.
const sigBreak = syscall.Signal(21)

// passSignal: Windows has no signals to pass on; nothing feeds Pass there.
func passSignal(proc.Identity, os.Signal) error { return nil }

// continueAll: a Windows process is never stopped by a signal.
func continueAll([]proc.Process, syscall.Signal) error { return nil }

// ParseSignal accepts the names soakrun's flags use everywhere. On Windows
// BREAK (or CTRL_BREAK, SIGBREAK, 21) means CTRL_BREAK, KILL means
// termination, and every other signal the graceful stop, CTRL_C.
func ParseSignal(s string) (syscall.Signal, error) {
	if n, err := parseSignalNumber(s); err == nil {
		return n, nil
	}
	switch normaliseSignalName(s) {
	case "SIGTERM":
		return syscall.SIGTERM, nil
	case "SIGINT", "SIGC", "SIGCTRL_C":
		return syscall.SIGINT, nil
	case "SIGBREAK", "SIGCTRL_BREAK":
		return sigBreak, nil
	case "SIGHUP":
		return syscall.SIGHUP, nil
	case "SIGKILL":
		return syscall.SIGKILL, nil
	case "SIGQUIT":
		return syscall.SIGQUIT, nil
	}
	return 0, fmt.Errorf("unknown signal %q", s)
}

// consoleEvent is the console control event a stop signal stands for.
func consoleEvent(sig syscall.Signal) uint32 {
	if sig == sigBreak {
		return winjob.CtrlBreak
	}
	return winjob.CtrlC
}

func signalName(sig syscall.Signal) string {
	if sig == killSignal {
		return "termination"
	}
	return winjob.EventName(consoleEvent(sig))
}

// forwardedSignal is what a stop started by a signal to soakrun sends: the
// --signal event. Go reports Ctrl+C and CTRL_BREAK at soakrun's console
// alike (os.Interrupt), so what soakrun got cannot say which the tree
// wants.
func forwardedSignal(_ os.Signal, configured syscall.Signal) syscall.Signal { return configured }
