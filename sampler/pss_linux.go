package sampler

import (
	"bytes"
	"os"
	"strconv"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// treePSS sums Pss from each live member's /proc/PID/smaps_rollup (Linux
// 4.14+) and says what the sum cost in CPU time, the kernel's page-table
// walk included. A member that exits meanwhile no longer counts; one whose
// file cannot be read makes the sum unknown.
func treePSS(members []proc.Process) (sum uint64, ok bool, cost time.Duration) {
	cost = cpuOf(func() { sum, ok = sumPSS(members) })
	return sum, ok, cost
}

func sumPSS(members []proc.Process) (uint64, bool) {
	var sum uint64
	buf := make([]byte, 2048)
	for _, p := range members {
		if p.Zombie {
			continue
		}
		f, err := os.Open("/proc/" + strconv.Itoa(p.PID) + "/smaps_rollup")
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return 0, false
		}
		n, _ := f.Read(buf)
		f.Close()
		kb, ok := parsePss(buf[:n])
		if !ok {
			if n == 0 {
				continue // a kernel thread or a process exiting: no mappings
			}
			return 0, false
		}
		sum += kb << 10
	}
	return sum, true
}

// parsePss finds the "Pss:" line of smaps_rollup, in kB.
func parsePss(b []byte) (uint64, bool) {
	for line := range bytes.Lines(b) {
		if rest, ok := bytes.CutPrefix(line, []byte("Pss:")); ok {
			f := bytes.Fields(rest)
			if len(f) < 1 {
				return 0, false
			}
			n, err := strconv.ParseUint(string(f[0]), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
