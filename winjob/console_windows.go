package winjob

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/soakrun/soakrun/proc"

	"golang.org/x/sys/windows"
)

// Console control events, as GenerateConsoleCtrlEvent takes them.
const (
	CtrlC     = windows.CTRL_C_EVENT
	CtrlBreak = windows.CTRL_BREAK_EVENT
)

// ErrNoConsole is returned when no target could be reached through a
// console: none has one, or every attach was refused.
var ErrNoConsole = errors.New("no console to deliver the event to")

var (
	kernel32                  = windows.NewLazySystemDLL("kernel32.dll")
	procAttachConsole         = kernel32.NewProc("AttachConsole")
	procFreeConsole           = kernel32.NewProc("FreeConsole")
	procSetConsoleCtrlHandler = kernel32.NewProc("SetConsoleCtrlHandler")
	procGetConsoleProcessList = kernel32.NewProc("GetConsoleProcessList")
)

// Target is a process to reach with a console event: its pid and its
// creation time (100 ns FILETIME units), so a recycled pid is never used to
// find a console.
type Target struct {
	PID   uint32
	Start uint64
}

// SendConsoleEvent delivers event to every process attached to the
// consoles of targets, each console once, and returns the pids the event
// went to. It detaches the calling process from its own console and
// attaches to the targets' consoles in turn, so it is meant for a process
// of its own (soakrun re-executed), never for soakrun itself, whose console
// belongs to whoever started it.
//
// CTRL_C cannot be sent to a process group, only to a whole console: so a
// command that is to get it runs on a console of its own, and this attaches
// to it. The caller ignores CTRL_C while attached (SetConsoleCtrlHandler
// with no handler), and must ignore CTRL_BREAK itself (Go's os/signal).
func SendConsoleEvent(event uint32, targets []Target) (reached []uint32, err error) {
	procFreeConsole.Call() // fails when there is none, which is the usual case
	covered := map[uint32]bool{}
	var errs []error
	for _, t := range targets {
		if covered[t.PID] {
			continue
		}
		pids, err := sendThrough(event, t)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		reached = append(reached, pids...)
		if len(pids) == 0 {
			// The console's process list could not be read: another
			// target may share this console, and a second event would
			// interrupt its cleanup. One console is all that is safe.
			reached = append(reached, t.PID)
			break
		}
		for _, p := range pids {
			covered[p] = true
		}
	}
	if len(reached) == 0 {
		return nil, noConsole(errs)
	}
	return reached, nil
}

// noConsole is one line however many targets failed: the first failure,
// and how many others there were.
func noConsole(errs []error) error {
	switch len(errs) {
	case 0:
		return ErrNoConsole
	case 1:
		return fmt.Errorf("%w: %w", ErrNoConsole, errs[0])
	}
	return fmt.Errorf("%w: %w (and %d more)", ErrNoConsole, errs[0], len(errs)-1)
}

// sendThrough attaches to t's console, sends event to it and detaches. It
// returns the processes attached to that console (empty when they cannot
// be listed), the caller left out.
func sendThrough(event uint32, t Target) ([]uint32, error) {
	// The handle pins the pid: while it is open, the pid names t or a
	// process that has exited, never a newcomer.
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, t.PID)
	if err != nil {
		return nil, fmt.Errorf("open process %d: %w", t.PID, err)
	}
	defer windows.CloseHandle(h)
	start, _, err := proc.Times(h)
	if err != nil {
		return nil, fmt.Errorf("read start time of %d: %w", t.PID, err)
	}
	if t.Start != 0 && start != t.Start {
		return nil, fmt.Errorf("pid %d names another process", t.PID)
	}
	if ok, _, err := procAttachConsole.Call(uintptr(t.PID)); ok == 0 {
		return nil, fmt.Errorf("attach to the console of %d: %w", t.PID, err)
	}
	defer procFreeConsole.Call()
	if ok, _, err := procSetConsoleCtrlHandler.Call(0, 1); ok == 0 {
		return nil, fmt.Errorf("ignore CTRL_C while attached to %d: %w", t.PID, err)
	}
	pids := consoleProcesses()
	if err := windows.GenerateConsoleCtrlEvent(event, 0); err != nil {
		return nil, fmt.Errorf("send %s to the console of %d: %w", EventName(event), t.PID, err)
	}
	return pids, nil
}

// consoleProcesses lists the processes attached to this process's console,
// itself left out; nil when the list cannot be had.
func consoleProcesses() []uint32 {
	self := windows.GetCurrentProcessId()
	for n := 64; n <= 1<<16; n *= 4 {
		buf := make([]uint32, n)
		got, _, _ := procGetConsoleProcessList.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(n))
		if got == 0 {
			return nil
		}
		if int(got) <= n {
			var out []uint32
			for _, p := range buf[:got] {
				if p != self {
					out = append(out, p)
				}
			}
			return out
		}
	}
	return nil
}

// EventName names a console control event as the Windows API does.
func EventName(event uint32) string {
	switch event {
	case CtrlC:
		return "CTRL_C"
	case CtrlBreak:
		return "CTRL_BREAK"
	}
	return fmt.Sprintf("console event %d", event)
}

// EnableCtrlCInChildren makes the processes this one creates, until restore
// is called, start with CTRL_C enabled. Whether a process ignores CTRL_C
// (SetConsoleCtrlHandler(NULL, TRUE)) is inherited by its children, and a
// process created with CREATE_NEW_PROCESS_GROUP, as CI tools and Python's
// subprocess often start a program they mean to stop with CTRL_BREAK,
// starts with it set: a command started from such a soakrun would ignore
// the CTRL_C meant to stop it. The setting is the process's own, so restore
// puts it back, for soakrun itself, as soon as the command is created.
func EnableCtrlCInChildren() (restore func()) {
	params := windows.RtlGetCurrentPeb().ProcessParameters
	if params == nil || params.ConsoleFlags&1 == 0 {
		return func() {}
	}
	procSetConsoleCtrlHandler.Call(0, 0)
	return func() { procSetConsoleCtrlHandler.Call(0, 1) }
}
