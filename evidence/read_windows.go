package evidence

import (
	"fmt"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/proc"
)

// readProcess reads m's private bytes against its working set: Windows
// keeps no resident figure per mapping.
func readProcess(m proc.Process) (Process, error) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(m.PID))
	if err != nil {
		return Process{}, fmt.Errorf("open process %d: %w", m.PID, err)
	}
	defer windows.CloseHandle(h)
	if start, _, err := proc.Times(h); err != nil || start != m.Start {
		return Process{}, fmt.Errorf("pid %d: %w", m.PID, proc.ErrNotFound) // another process has the pid now
	}
	mc, err := proc.Memory(h)
	if err != nil {
		return Process{}, fmt.Errorf("process %d: %w", m.PID, err)
	}
	private, ws := mc.PrivateBytes, mc.WorkingSetBytes
	return Process{PID: m.PID, Start: m.Start, Name: m.Name, Bytes: map[Kind]uint64{Private: private, SharedInWork: ws - min(ws, private)}}, nil
}
