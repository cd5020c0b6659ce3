//go:build !cgo

package supervisor

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// Without cgo nothing runs before the Go runtime, which has by then put
// its own handler on most signals (see inherit_cgo_linux.go). What the
// kernel still shows is what the runtime left alone: an ignored SIGHUP or
// SIGINT, job control's TSTP, TTIN, TTOU and CONT, and of the mask the
// signals Go lets a thread block.
var startIgnored, startBlocked = readSignalState()

func readSignalState() (ignored, blocked uint64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		n, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		switch {
		case err != nil:
		case k == "SigIgn":
			ignored = n
		case k == "SigBlk":
			blocked = n
		}
	}
	return ignored, blocked
}

// inheritedSignals is what is known of the signal state this process was
// started with; complete is false: see above.
func inheritedSignals() (ignored, blocked uint64, complete bool) {
	return startIgnored, startBlocked, false
}
