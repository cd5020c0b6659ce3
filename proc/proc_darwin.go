package proc

import (
	"bytes"
	"fmt"

	"golang.org/x/sys/unix"
)

// sZomb is SZOMB from <sys/proc.h>.
const sZomb = 5

func get(pid int) (Process, error) {
	kp, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil {
		return Process{}, fmt.Errorf("sysctl kern.proc.pid %d: %w", pid, err)
	}
	if kp.Proc.P_pid == 0 && pid != 0 {
		return Process{}, fmt.Errorf("pid %d: %w", pid, ErrNotFound)
	}
	return fromKinfo(kp), nil
}

func list() ([]Process, error) {
	kps, err := unix.SysctlKinfoProcSlice("kern.proc.all")
	if err != nil {
		return nil, fmt.Errorf("sysctl kern.proc.all: %w", err)
	}
	out := make([]Process, 0, len(kps))
	for i := range kps {
		out = append(out, fromKinfo(&kps[i]))
	}
	return out, nil
}

func fromKinfo(kp *unix.KinfoProc) Process {
	name := kp.Proc.P_comm[:]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	st := kp.Proc.P_starttime
	return Process{
		Identity: Identity{PID: int(kp.Proc.P_pid), Start: uint64(st.Sec)*1e6 + uint64(st.Usec)},
		PPID:     int(kp.Eproc.Ppid),
		PGID:     int(kp.Eproc.Pgid),
		Name:     string(name),
		Status:   darwinStatus[kp.Proc.P_stat],
		Zombie:   kp.Proc.P_stat == sZomb,
	}
}

// darwinStatus names the p_stat values of <sys/proc.h> as psutil does.
var darwinStatus = map[int8]string{1: "idle", 2: "running", 3: "sleeping", 4: "stopped", sZomb: "zombie"}
