package supervisor

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"syscall"
)

// Exit codes, GNU timeout's where it has one.
const (
	ExitTimeout       = 124 // the timeout fired
	ExitFailure       = 125 // soakrun itself failed: bad input, failed setup
	ExitNotExecutable = 126 // the command was found but could not be run
	ExitNotFound      = 127 // the command was not found
)

var (
	// ErrNotFound: the command does not exist.
	ErrNotFound = errors.New("command not found")
	// ErrNotExecutable: the command exists but cannot be executed.
	ErrNotExecutable = errors.New("command not executable")
)

// execError is a start that failed in the exec trampoline, at a step
// before the command ran or at the execve itself (step "exec").
type execError struct {
	step  string
	errno syscall.Errno
	msg   string
}

func (e *execError) Error() string { return e.step + ": " + e.msg }
func (e *execError) Unwrap() error { return e.errno }

// classifyStart wraps a start failure in the error its exit code comes from.
// A failed execve is 127 only when the file is not there (ENOENT: also a
// script whose interpreter is missing), 126 for every other reason, as GNU
// timeout has it.
func classifyStart(name string, err error) error {
	var ee *execError
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrNotExecutable):
		return err
	case errors.As(err, &ee) && ee.step == "exec" && ee.errno == syscall.ENOENT:
		return fmt.Errorf("%s: %w (%s)", name, ErrNotFound, ee.msg)
	case errors.As(err, &ee) && ee.step == "exec":
		return fmt.Errorf("%s: %w (%s)", name, ErrNotExecutable, ee.msg)
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %w", name, ErrNotFound)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.ENOEXEC),
		errors.Is(err, syscall.EISDIR):
		return fmt.Errorf("%s: %w (%v)", name, ErrNotExecutable, err)
	}
	return fmt.Errorf("start %s: %w", name, err)
}

// StartExitCode is the exit code for an error returned by Start.
func StartExitCode(err error) int {
	switch {
	case errors.Is(err, ErrNotFound):
		return ExitNotFound
	case errors.Is(err, ErrNotExecutable):
		return ExitNotExecutable
	}
	return ExitFailure
}

// ExitCode is the run's exit code before any leak verdict: the command's
// status; 128+N when signal N ended it; 124 when the timeout fired, or the
// Abort's code when an Abort stopped the run (the command's own status
// instead with preserveStatus). A stop soakrun decided on outranks the
// status the command died of because of it. A run stopped by a signal to
// soakrun never reports success: if the command exited 0 anyway, the code
// is 128+N of the signal soakrun received.
func (r Result) ExitCode(preserveStatus bool) int {
	status := r.ExitStatus
	if r.Signal != 0 {
		status = 128 + int(r.Signal)
	}
	switch {
	case r.TimedOut && !preserveStatus:
		return ExitTimeout
	case r.Aborted != nil && !preserveStatus:
		return r.Aborted.ExitCode
	case r.Interrupted != nil && status == 0:
		if s, ok := r.Interrupted.(syscall.Signal); ok {
			return 128 + int(s)
		}
		return 128 + int(syscall.SIGTERM)
	}
	return status
}

// WithLeak applies the leak verdict to a run's exit code. Precedence:
// command failure > timeout or abort (whichever stopped the run first) >
// leak > success, so a leak only turns a successful run into leakExitCode
// (0 makes the verdict advisory).
func WithLeak(code int, leak bool, leakExitCode int) int {
	if code == 0 && leak {
		return leakExitCode
	}
	return code
}
