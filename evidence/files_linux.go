package evidence

import (
	"os"
	"strconv"
	"strings"
)

// ownFiles are the files of /proc/PID that say most about a process's
// memory and what it is doing: the kernel stack only where soakrun may
// read it (as root).
func ownFiles(pid int) map[string][]byte {
	out := map[string][]byte{}
	for _, name := range []string{"status", "smaps_rollup", "stack", "wchan"} {
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/" + name); err == nil && len(b) > 0 {
			out[name] = b
		}
	}
	return out
}

// waitChannel is the kernel function process pid sleeps in, "-" if none.
func waitChannel(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/wchan")
	if s := strings.TrimSpace(string(b)); err == nil && s != "" && s != "0" {
		return s
	}
	return "-"
}
