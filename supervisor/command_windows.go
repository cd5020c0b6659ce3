package supervisor

import (
	"errors"
	"os/exec"
)

// newCommand resolves args[0] as os/exec does on Windows (PATH and
// PATHEXT).
func newCommand(args []string, dir string, env []string) (*exec.Cmd, error) {
	cmd := exec.Command(args[0], args[1:]...)
	if errors.Is(cmd.Err, exec.ErrDot) {
		cmd.Err = nil // a command named .\x is meant to be run from here
	}
	if cmd.Err != nil {
		return nil, classifyStart(args[0], cmd.Err)
	}
	cmd.Dir, cmd.Env = dir, env
	return cmd, nil
}
