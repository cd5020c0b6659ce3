package supervisor

import (
	"os/exec"

	"github.com/soakrun/soakrun/proc"
)

// launch starts cmd as it is: macOS has no exec trampoline yet, so the
// command gets the signal state Go leaves in a forked child (handled
// signals reset to SIG_DFL, the forking thread's mask).
func (g *groupContainer) launch(cmd *exec.Cmd) (proc.Identity, <-chan exitStatus, error) {
	if g.user != nil {
		cmd.SysProcAttr.Credential = g.user.credential()
	}
	return g.reaper.startAndExpect(cmd)
}

// helperMain: macOS has no helper but the guard.
func helperMain() {}
