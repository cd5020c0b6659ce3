package sampler

import (
	"fmt"
	"time"
	"unsafe"

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
	var created, exited, kernel, user windows.Filetime
	if err := windows.GetProcessTimes(h, &created, &exited, &kernel, &user); err != nil {
		return Self{}, fmt.Errorf("GetProcessTimes: %w", err)
	}
	// FILETIME durations count 100 ns units.
	cpu := time.Duration((filetime(kernel) + filetime(user)) * 100)
	var mc processMemoryCounters
	mc.CB = uint32(unsafe.Sizeof(mc))
	r, _, err := procGetProcessMemoryInfo.Call(uintptr(h), uintptr(unsafe.Pointer(&mc)), uintptr(mc.CB))
	if r == 0 {
		return Self{CPU: cpu}, fmt.Errorf("GetProcessMemoryInfo: %w", err)
	}
	return Self{CPU: cpu, PeakRSSBytes: uint64(mc.PeakWorkingSetSize)}, nil
}

func filetime(f windows.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }

// ReapedChildrenCPU is not known on Windows, where the job object counts
// the CPU of every process it held.
func ReapedChildrenCPU() (time.Duration, bool) { return 0, false }
