package testproc

import "golang.org/x/sys/windows"

// UnderWine reports whether this runs under Wine, which leaves some
// accounting out (job peak memory, process handle counts read as 0).
func UnderWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}
