package evidence

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/proc"
)

// processMemoryCountersEx is PROCESS_MEMORY_COUNTERS_EX from psapi.h,
// which x/sys/windows does not define.
type processMemoryCountersEx struct {
	CB                         uint32
	PageFaultCount             uint32
	PeakWorkingSetSize         uintptr
	WorkingSetSize             uintptr
	QuotaPeakPagedPoolUsage    uintptr
	QuotaPagedPoolUsage        uintptr
	QuotaPeakNonPagedPoolUsage uintptr
	QuotaNonPagedPoolUsage     uintptr
	PagefileUsage              uintptr
	PeakPagefileUsage          uintptr
	PrivateUsage               uintptr
}

var procGetProcessMemoryInfo = windows.NewLazySystemDLL("psapi.dll").NewProc("GetProcessMemoryInfo")

// readProcess reads m's private bytes against its working set: Windows
// keeps no resident figure per mapping.
func readProcess(m proc.Process) (Process, error) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(m.PID))
	if err != nil {
		return Process{}, fmt.Errorf("open process %d: %w", m.PID, err)
	}
	defer windows.CloseHandle(h)
	if now, err := proc.Get(m.PID); err != nil || now.Start != m.Start {
		return Process{}, fmt.Errorf("pid %d: %w", m.PID, proc.ErrNotFound)
	}
	var mc processMemoryCountersEx
	mc.CB = uint32(unsafe.Sizeof(mc))
	if r, _, err := procGetProcessMemoryInfo.Call(uintptr(h), uintptr(unsafe.Pointer(&mc)), uintptr(mc.CB)); r == 0 {
		return Process{}, fmt.Errorf("GetProcessMemoryInfo %d: %w", m.PID, err)
	}
	// PrivateUsage and PagefileUsage are both the commit charge on
	// Windows; Wine fills in only the second.
	private, ws := uint64(max(mc.PrivateUsage, mc.PagefileUsage)), uint64(mc.WorkingSetSize)
	return Process{PID: m.PID, Start: m.Start, Name: m.Name, Bytes: map[Kind]uint64{Private: private, SharedInWork: ws - min(ws, private)}}, nil
}
