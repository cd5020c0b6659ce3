package sampler

import (
	"fmt"
	"unsafe"

	"github.com/soakrun/soakrun/proc"

	"golang.org/x/sys/windows"
)

// processMemoryCounters is PROCESS_MEMORY_COUNTERS from psapi.h, which
// x/sys/windows does not define.
type processMemoryCounters struct {
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
}

var procGetProcessMemoryInfo = windows.NewLazySystemDLL("psapi.dll").NewProc("GetProcessMemoryInfo")

func selfUsage() (Self, error) {
	h := windows.CurrentProcess()
	_, cpu, err := proc.Times(h)
	if err != nil {
		return Self{}, err
	}
	var mc processMemoryCounters
	mc.CB = uint32(unsafe.Sizeof(mc))
	r, _, err := procGetProcessMemoryInfo.Call(uintptr(h), uintptr(unsafe.Pointer(&mc)), uintptr(mc.CB))
	if r == 0 {
		return Self{CPU: cpu}, fmt.Errorf("GetProcessMemoryInfo: %w", err)
	}
	return Self{CPU: cpu, PeakRSSBytes: uint64(mc.PeakWorkingSetSize)}, nil
}
