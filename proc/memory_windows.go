package proc

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
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

// MemoryCounters are a Windows process's own figures of its memory.
type MemoryCounters struct {
	WorkingSetBytes, PeakWorkingSetBytes uint64
	// PrivateBytes is the commit charge: memory committed for this
	// process alone, its heaps, resident or not.
	PrivateBytes uint64
}

// Memory reads, through an open handle, a process's memory counters.
func Memory(h windows.Handle) (MemoryCounters, error) {
	var mc processMemoryCountersEx
	mc.CB = uint32(unsafe.Sizeof(mc))
	if r, _, err := procGetProcessMemoryInfo.Call(uintptr(h), uintptr(unsafe.Pointer(&mc)), uintptr(mc.CB)); r == 0 {
		return MemoryCounters{}, fmt.Errorf("GetProcessMemoryInfo: %w", err)
	}
	// PrivateUsage and PagefileUsage are both the commit charge; Wine
	// fills in only the second.
	return MemoryCounters{
		WorkingSetBytes:     uint64(mc.WorkingSetSize),
		PeakWorkingSetBytes: uint64(mc.PeakWorkingSetSize),
		PrivateBytes:        uint64(max(mc.PrivateUsage, mc.PagefileUsage)),
	}, nil
}
