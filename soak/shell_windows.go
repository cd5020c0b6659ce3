package soak

import (
	"os/exec"
	"syscall"
)

// shellCommand runs a user's command line with cmd.exe, as it was typed.
func shellCommand(line string) *exec.Cmd {
	cmd := exec.Command("cmd.exe")
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: `cmd.exe /d /s /c "` + line + `"`}
	return cmd
}
