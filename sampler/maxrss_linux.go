package sampler

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// peakRSS is VmHWM from /proc/self/status. getrusage's ru_maxrss would do
// but for one trap: it carries over across execve, so a soakrun started by
// a big parent (`go run`, a CI agent) would report the parent's memory.
func peakRSS(ru *syscall.Rusage) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err == nil {
		for line := range bytes.Lines(b) {
			if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
				kb, err := strconv.ParseUint(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	return uint64(ru.Maxrss) << 10 // kilobytes on Linux
}
