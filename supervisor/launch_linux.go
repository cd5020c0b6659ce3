package supervisor

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"

	"github.com/soakrun/soakrun/proc"
)

// launch starts cmd through the exec trampoline (exec_linux.go), so that
// it runs with the signal state soakrun inherited, and returns once the
// command runs, or with why it could not. The trampoline is this same
// executable (/proc/self/exe, which names it even if the file was replaced
// since), started with cmd's argv, environment, directory, files and
// process attributes: its pid, process group and start time are the
// command's.
func (g *groupContainer) launch(cmd *exec.Cmd) (proc.Identity, <-chan exitStatus, error) {
	ignored, blocked, _ := inheritedSignals()
	spec, err := json.Marshal(execSpec{Path: cmd.Path, Ignored: ignored, Blocked: blocked, Cgroups: g.cgroupJoin, User: g.user})
	if err != nil {
		return proc.Identity{}, nil, fmt.Errorf("exec spec: %w", err)
	}
	rd, wr, err := os.Pipe()
	if err != nil {
		return proc.Identity{}, nil, fmt.Errorf("exec status pipe: %w", err)
	}
	defer rd.Close()
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	t := &exec.Cmd{
		Path:        "/proc/self/exe",
		Args:        cmd.Args,
		Env:         append(withoutEnv(env, envExec), envExec+"="+string(spec)),
		Dir:         cmd.Dir,
		Stdin:       cmd.Stdin,
		Stdout:      cmd.Stdout,
		Stderr:      cmd.Stderr,
		ExtraFiles:  []*os.File{wr},
		SysProcAttr: cmd.SysProcAttr,
	}
	id, status, err := g.reaper.startAndExpect(t)
	wr.Close() // only the trampoline holds it now: EOF once it has exec'd
	if err != nil {
		return id, status, err
	}
	return id, status, readExecStatus(rd)
}

// helperMain becomes the exec trampoline if this process was started as
// one.
func helperMain() {
	if spec, ok := os.LookupEnv(envExec); ok {
		os.Exit(execMain(spec))
	}
}
