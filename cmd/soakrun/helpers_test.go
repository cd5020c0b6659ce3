package main

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/soak"
)

// soakrun returns the test binary set up to run as soakrun with flags,
// supervising this binary in role. Its stdout is the target's stdout.
func soakrun(t *testing.T, flags []string, role ...string) *exec.Cmd {
	t.Helper()
	args := append(append([]string{}, flags...), "--", os.Args[0])
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(testproc.Env(role...), envAsSoakrun+"=1")
	cmd.Dir = testproc.TempDir(t) // where resources.jsonl goes by default
	return cmd
}

// exitCode runs cmd to its end and returns its exit code and stderr.
func exitCode(t *testing.T, cmd *exec.Cmd) (int, string) {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("run soakrun: %v", err)
		}
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// subcommand returns the test binary set up to run as soakrun with args
// and no command, in a directory of its own.
func subcommand(t *testing.T, args ...string) *exec.Cmd {
	c := exec.Command(os.Args[0], args...)
	c.Env = append(os.Environ(), envAsSoakrun+"=1")
	c.Dir = testproc.TempDir(t)
	return c
}

// analysisOf reads the analysis soakrun wrote beside output.
func analysisOf(t *testing.T, output string) map[string]any {
	t.Helper()
	return testproc.ReadJSON(t, soak.AnalysisPath(output))
}
