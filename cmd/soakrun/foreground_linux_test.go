package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// openPty opens a pseudo-terminal: the master for the test, the slave for
// the wrapper's session.
func openPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

// readLineOnTerminal runs argv in a new session whose terminal is a fresh
// pty, under a shell as a script runs it (the shell leads the session and
// its foreground group; argv starts in that group), types a line, and
// returns argv's exit code and what the terminal showed.
func readLineOnTerminal(t *testing.T, env []string, argv ...string) (int, string) {
	t.Helper()
	master, slave := openPty(t)
	cmd := exec.Command("/bin/sh", append([]string{"-c", `"$@"; exit $?`, "sh"}, argv...)...)
	cmd.Env = env
	cmd.Dir = t.TempDir()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	master.Write([]byte("typed-line\n"))
	shown := make(chan string, 1)
	go func() { b, _ := io.ReadAll(master); shown <- string(b) }() // EIO once the session is gone
	cmd.Wait()
	select {
	case s := <-shown:
		return cmd.ProcessState.ExitCode(), s
	case <-time.After(10 * time.Second):
		return cmd.ProcessState.ExitCode(), ""
	}
}

// With --foreground the command stays in soakrun's process group, the
// terminal's foreground group, and may read the terminal, as under GNU
// timeout --foreground. Without it, the command is a background job of
// its terminal: its read stops it (SIGTTIN) until the timeout, under
// soakrun as under GNU timeout.
func TestForegroundCommandReadsTheTerminal(t *testing.T) {
	t.Parallel()
	head, err := exec.LookPath("head")
	if err != nil {
		t.Skip("needs head(1)")
	}
	asSoakrun := append(os.Environ(), envAsSoakrun+"=1")
	for _, tc := range []struct {
		name  string
		flags []string
		want  int
	}{
		{"foreground", []string{"--foreground"}, 0},
		{"own group", nil, 124},
	} {
		t.Run(tc.name, func(t *testing.T) {
			argv := append([]string{os.Args[0], "-q", "--no-leak-check", "--timeout", "2s", "--kill-after", "1s"}, tc.flags...)
			code, shown := readLineOnTerminal(t, asSoakrun, append(argv, "--", head, "-n1")...)
			if code != tc.want {
				t.Errorf("exit %d, want %d; the terminal showed %q", code, tc.want, shown)
			}
			if tc.want == 0 && strings.Count(shown, "typed-line") != 2 {
				t.Errorf("the terminal showed %q: want the line echoed and printed by head", shown)
			}
			if _, err := os.Stat("/usr/bin/timeout"); err != nil {
				return
			}
			gnu := append([]string{"/usr/bin/timeout", "--kill-after", "1s"}, tc.flags...)
			if gcode, gshown := readLineOnTerminal(t, os.Environ(), append(gnu, "2", head, "-n1")...); gcode != code {
				t.Errorf("GNU timeout %v: exit %d (%q), soakrun %d", tc.flags, gcode, gshown, code)
			}
		})
	}
}

// Unlike GNU timeout --foreground, which times out the command alone,
// soakrun --foreground still stops the whole tree at the timeout (a
// SIGALRM once the tree is ready): a grandchild in a session of its own
// that ignores SIGTERM is killed.
func TestForegroundStillStopsTheWholeTree(t *testing.T) {
	t.Parallel()
	cmd := soakrun(t, []string{"--foreground", "--timeout", "5m", "--kill-after", "300ms", "-o", filepath.Join(t.TempDir(), "run.jsonl")},
		"spawn", "setsid", "--", "ignore-term", "1h")
	pids := testproc.Start(t, cmd, 2, nil)
	var tree []proc.Identity
	soakrunGroup, _ := syscall.Getpgid(cmd.Process.Pid)
	inGroup := 0
	for _, pid := range pids {
		if p, err := proc.Get(pid); err == nil {
			tree = append(tree, p.Identity)
		}
		if pgid, _ := syscall.Getpgid(pid); pgid == soakrunGroup {
			inGroup++
		}
	}
	if inGroup != 1 {
		t.Errorf("%d of the command and its setsid child are in soakrun's process group %d, want the command alone", inGroup, soakrunGroup)
	}
	cmd.Process.Signal(syscall.SIGALRM)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 124 {
		t.Errorf("exit %d, want 124", code)
	}
	if alive := gone(tree, time.Second); len(alive) > 0 {
		t.Errorf("%v outlived the timeout", alive)
	}
}
