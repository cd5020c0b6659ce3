package proc

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

func get(pid int) (Process, error) {
	all, err := list()
	if err != nil {
		return Process{}, err
	}
	for _, p := range all {
		if p.PID == pid {
			return p, nil
		}
	}
	return Process{}, fmt.Errorf("pid %d: %w", pid, ErrNotFound)
}

func list() ([]Process, error) {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return nil, fmt.Errorf("process snapshot: %w", err)
	}
	defer windows.CloseHandle(snap)
	var e windows.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	var out []Process
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		p := Process{
			Identity: Identity{PID: int(e.ProcessID)},
			PPID:     int(e.ParentProcessID),
			Name:     windows.UTF16ToString(e.ExeFile[:]),
			Threads:  int(e.Threads),
			Status:   "running",
		}
		if start, ok := startTime(e.ProcessID); ok {
			p.Start = start
		}
		out = append(out, p)
	}
	if !errors.Is(err, windows.ERROR_NO_MORE_FILES) {
		return nil, fmt.Errorf("walk process snapshot: %w", err)
	}
	return out, nil
}

// StartTime returns the creation time of pid as a FILETIME count, the
// Windows half of an Identity.
func startTime(pid uint32) (uint64, bool) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return 0, false
	}
	defer windows.CloseHandle(h)
	start, _, err := Times(h)
	return start, err == nil
}
