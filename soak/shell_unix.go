//go:build unix

package soak

import "os/exec"

// shellCommand runs a user's command line as a workflow step's shell does.
func shellCommand(line string) *exec.Cmd { return exec.Command("/bin/sh", "-c", line) }
