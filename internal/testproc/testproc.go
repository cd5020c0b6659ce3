package testproc

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// EnvRole selects the role; its value is the role's arguments, space
// separated.
const EnvRole = "SOAKRUN_TESTPROC"

// Env returns the environment for running this binary in role. Under the
// race detector a helper would idle a second at exit (atexit_sleep_ms),
// which reads as a plateau at the end of every series: it is turned off.
func Env(role ...string) []string {
	return append(os.Environ(), EnvRole+"="+strings.Join(role, " "), "GORACE=atexit_sleep_ms=0")
}

// Command returns an exec.Cmd that runs this test binary in role.
func Command(role ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0])
	cmd.Env = Env(role...)
	return cmd
}

// Main runs the role named in the environment and exits; without one it
// returns at once. Call it first thing in TestMain.
func Main() {
	spec, ok := os.LookupEnv(EnvRole)
	if !ok {
		return
	}
	os.Unsetenv(EnvRole)
	args := strings.Fields(spec)
	if len(args) == 0 {
		fail("empty role")
	}
	os.Exit(run(args[0], args[1:]))
}

func ready(role string) {
	fmt.Printf("ready %s %d\n", role, os.Getpid())
}

// WaitReady reads lines from r until n "ready" lines have arrived and
// returns the pids they announced. It gives up after timeout.
func WaitReady(r io.Reader, n int, timeout time.Duration) ([]int, error) {
	type res struct {
		pids []int
		err  error
	}
	ch := make(chan res, 1)
	go func() {
		var pids []int
		sc := bufio.NewScanner(r)
		for len(pids) < n && sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 3 && f[0] == "ready" {
				pids = append(pids, atoi(f[2]))
			}
		}
		if len(pids) < n {
			ch <- res{pids, fmt.Errorf("got %d ready lines, want %d (%v)", len(pids), n, sc.Err())}
			return
		}
		ch <- res{pids, nil}
	}()
	select {
	case r := <-ch:
		return r.pids, r.err
	case <-time.After(timeout):
		return nil, fmt.Errorf("no %d ready lines within %s", n, timeout)
	}
}

func arg(args []string, i int) string {
	if i >= len(args) {
		fail(fmt.Sprintf("missing argument %d", i))
	}
	return args[i]
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		fail(err.Error())
	}
	return n
}

func duration(s string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		fail(err.Error())
	}
	return d
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "testproc:", msg)
	os.Exit(2)
}

// Start starts cmd, which plays a role, and waits for n ready lines on its
// stdout, for up to two minutes (a tree of thousands in an emulated guest);
// the rest of its stdout is discarded. The process is killed when the test
// ends. after, if not nil, runs between the start and the wait (to put a
// suspended process in a job and resume it, say).
func Start(tb testing.TB, cmd *exec.Cmd, n int, after func()) []int {
	tb.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if after != nil {
		after()
	}
	pids, err := WaitReady(out, n, 2*time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	go io.Copy(io.Discard, out)
	return pids
}
