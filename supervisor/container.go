package supervisor

import (
	"os/exec"
	"syscall"

	"github.com/soakrun/soakrun/proc"
)

// container is the platform's mechanism for keeping one command's tree
// together: a process group and subreaper on Linux, a process group on
// macOS, a job object on Windows. The stop sequence above it is the same
// everywhere.
type container interface {
	// start launches cmd inside the container; nothing the command starts
	// may run outside it.
	start(cmd *exec.Cmd) error
	mainIdentity() proc.Identity
	// describe says which containment runs, and why: "cgroup v2 at DIR",
	// "process group: /sys/fs/cgroup is read-only", "job object".
	describe() string
	// exited delivers the command's own status, once.
	exited() <-chan exitStatus
	// members lists the tree, zombies included.
	members() ([]proc.Process, error)
	// signal sends the graceful stop signal to every live member.
	signal(members []proc.Process, sig syscall.Signal) error
	// kill forcibly ends every live member.
	kill(members []proc.Process) error
	// settle is called once the tree is empty, to collect what is left
	// (zombies); it returns how many orphans were reaped during the run.
	settle() int
	close() error
}

// exitStatus is how the command's own process ended.
type exitStatus struct {
	code   int // -1 when signalled
	signal syscall.Signal
}
