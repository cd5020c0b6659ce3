//go:build unix

package testproc

import (
	"bufio"
	"fmt"
	"os/exec"
	"testing"
	"time"
)

// ZombieParent starts the zombie-parent role and returns it, ready, with
// the pid of the child it leaves unreaped: a zombie as soon as the child has
// exited, which the caller waits for. The parent is killed when the test
// ends.
func ZombieParent(tb testing.TB) (parent *exec.Cmd, child int) {
	tb.Helper()
	parent = Command("zombie-parent")
	out, err := parent.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { parent.Process.Kill(); parent.Wait() })
	r := bufio.NewReader(out)
	line, _ := r.ReadString('\n')
	if _, err := fmt.Sscanf(line, "zombie %d", &child); err != nil {
		tb.Fatalf("zombie-parent: no zombie line: %q", line)
	}
	if _, err := WaitReady(r, 1, 30*time.Second); err != nil {
		tb.Fatal(err)
	}
	return parent, child
}
