package supervisor

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/soakrun/soakrun/cgroup"
)

// The exec trampoline. A command started by os/exec gets the signal state
// Go's runtime leaves in a forked child: every signal the runtime handles
// reset to SIG_DFL, and the mask of the forking thread, from which the
// runtime has unblocked the signals it handles. Measured with Go 1.26
// under a parent that ignores PIPE, INT, SEGV, TTOU and blocks ILL, TERM,
// TTIN: the child of os/exec ignores only INT and TTOU and blocks only
// TTIN, where GNU timeout's and tini's children keep what they were given
// (timeout resets TTOU and INT, tini keeps all). So soakrun starts the
// command through itself: the child it forks (already in the command's
// process group) runs this trampoline instead of the command, which puts
// back the signal state soakrun inherited (inheritedSignals) with raw
// system calls on one locked thread and then execve()s the command in
// place. The command keeps the trampoline's pid and start time, so
// soakrun knows it by its identity from the first instant.
//
// Errors before the command runs (a failed step, a failed execve) come back
// as one line, "ERRNO\tSTEP\tMESSAGE", on a status pipe that is closed on
// exec: soakrun reads EOF and nothing else when the command is running, as
// os/exec and tini do.

// envExec carries the execSpec to the trampoline.
const envExec = "SOAKRUN_EXEC"

// execStatusFd is the status pipe's write end in the trampoline
// (the first of exec.Cmd.ExtraFiles).
const execStatusFd = 3

// execSpec is what the trampoline is told. A new pre-exec step adds its
// data here and its work to preExecSteps.
type execSpec struct {
	Path    string `json:"path"`    // the command, resolved as execvp(3) would
	Ignored uint64 `json:"ignored"` // signals to ignore, bit n-1 for signal n
	Blocked uint64 `json:"blocked"` // the signal mask to exec with
	// Cgroups are the run's cgroup directories the clone did not place
	// the command in (v1's; v2's too before Linux 5.7): it joins them
	// before it execs.
	Cgroups []string `json:"cgroups,omitempty"`
	// User, if set, is who the command runs as: the trampoline joins the
	// cgroups with soakrun's rights, then gives them up for the user's.
	User *User `json:"user,omitempty"`
}

// preExecStep is one thing the trampoline does to itself before it becomes
// the command: it runs as the command's pid, in the command's process group
// and directory, on the thread that will call execve. An error stops the
// start: soakrun exits 125 naming the step.
type preExecStep struct {
	name string
	run  func(*execSpec) error
}

// preExecSteps run in order, before the signal state is restored.
var preExecSteps = []preExecStep{
	{"join cgroup", func(s *execSpec) error { return cgroup.Join(s.Cgroups, os.Getpid()) }},
	{"become the user", becomeUser},
}

// becomeUser gives up root for the user the spec names, groups first (a
// process that is no longer root may not change them), on every thread:
// Go's Setuid is process-wide.
func becomeUser(s *execSpec) error {
	u := s.User
	if u == nil {
		return nil
	}
	groups := make([]int, len(u.Groups))
	for i, g := range u.Groups {
		groups[i] = int(g)
	}
	if err := syscall.Setgroups(groups); err != nil {
		return fmt.Errorf("set groups of %s: %w", u.Name, err)
	}
	if err := syscall.Setgid(int(u.GID)); err != nil {
		return fmt.Errorf("set gid %d: %w", u.GID, err)
	}
	if err := syscall.Setuid(int(u.UID)); err != nil {
		return fmt.Errorf("set uid %d: %w", u.UID, err)
	}
	return nil
}

// execMain is the trampoline's whole life: it ends in the command, or in
// exit 127 after telling soakrun why not.
func execMain(specJSON string) int {
	runtime.LockOSThread() // the mask is per thread: set it on the one that execs
	status := os.NewFile(execStatusFd, "exec status")
	syscall.CloseOnExec(execStatusFd)
	fail := func(step string, err error) int {
		var errno syscall.Errno
		errors.As(err, &errno)
		fmt.Fprintf(status, "%d\t%s\t%s\n", int(errno), step, err)
		return 127
	}
	var spec execSpec
	if err := json.Unmarshal([]byte(specJSON), &spec); err != nil {
		return fail("read spec", err)
	}
	env := withoutEnv(os.Environ(), envExec)
	for _, step := range preExecSteps {
		if err := step.run(&spec); err != nil {
			return fail(step.name, err)
		}
	}
	if err := restoreSignals(spec.Ignored, spec.Blocked); err != nil {
		return fail("restore signals", err)
	}
	err := syscall.Exec(spec.Path, os.Args, env)
	if errors.Is(err, syscall.ENOEXEC) {
		// A file without #! that the kernel cannot run: execvp(3), and so
		// GNU timeout, hands it to the shell.
		err = syscall.Exec("/bin/sh", append([]string{"sh", spec.Path}, os.Args[1:]...), env)
	}
	return fail("exec", err)
}

// restoreSignals sets every signal's disposition to SIG_IGN if it is in
// ignored and away from SIG_IGN if not (a handler Go installed is reset by
// execve itself), then sets this thread's mask to blocked.
func restoreSignals(ignored, blocked uint64) error {
	// The kernel's struct sigaction (handler, flags, restorer, mask), the
	// same on amd64 and arm64.
	type sigaction struct {
		handler, flags, restorer uintptr
		mask                     uint64
	}
	const sigDfl, sigIgn = 0, 1
	for sig := 1; sig <= 64; sig++ {
		if sig == int(unix.SIGKILL) || sig == int(unix.SIGSTOP) {
			continue
		}
		var old sigaction
		if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(unsafe.Pointer(&old)), 8, 0, 0); e != 0 {
			continue // a signal number this kernel does not have
		}
		want := uintptr(sigDfl)
		if ignored&(1<<(sig-1)) != 0 {
			want = sigIgn
		}
		if (old.handler == sigIgn) == (want == sigIgn) {
			continue
		}
		act := sigaction{handler: want}
		if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0); e != 0 {
			return fmt.Errorf("rt_sigaction %d: %w", sig, e)
		}
	}
	if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&blocked)), 0, 8, 0, 0); e != 0 {
		return fmt.Errorf("rt_sigprocmask: %w", e)
	}
	return nil
}

func withoutEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// readExecStatus reads the trampoline's status pipe to its end: nothing
// means the command is running.
func readExecStatus(r *os.File) error {
	b := make([]byte, 4096)
	var got []byte
	for {
		n, err := r.Read(b)
		got = append(got, b[:n]...)
		if err != nil {
			break
		}
	}
	line := strings.TrimSpace(string(got))
	if line == "" {
		return nil
	}
	f := strings.SplitN(line, "\t", 3)
	if len(f) < 3 {
		return fmt.Errorf("exec trampoline: %q", line)
	}
	n, _ := strconv.Atoi(f[0])
	return &execError{step: f[1], errno: syscall.Errno(n), msg: f[2]}
}
