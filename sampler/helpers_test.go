package sampler

import (
	"io"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
)

// startHolders starts one helper per size, each holding that many MB of
// touched memory, and waits until all hold it.
func startHolders(t *testing.T, mbs ...int) []*exec.Cmd {
	t.Helper()
	var cmds []*exec.Cmd
	for _, mb := range mbs {
		cmd := testproc.Command("hold", itoa(mb), "60s")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		if _, err := testproc.WaitReady(out, 1, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		go io.Copy(io.Discard, out)
		cmds = append(cmds, cmd)
	}
	return cmds
}

func itoa(n int) string { return strconv.Itoa(n) }
