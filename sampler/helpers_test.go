package sampler

import (
	"os/exec"
	"strconv"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

// startHolders starts one helper per size, each holding that many MB of
// touched memory, and waits until all hold it.
func startHolders(t testing.TB, mbs ...int) []*exec.Cmd {
	t.Helper()
	var cmds []*exec.Cmd
	for _, mb := range mbs {
		cmd := testproc.Command("hold", itoa(mb), "60s")
		testproc.Start(t, cmd, 1, nil)
		cmds = append(cmds, cmd)
	}
	return cmds
}

func itoa(n int) string { return strconv.Itoa(n) }
