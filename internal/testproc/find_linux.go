package testproc

import (
	"bytes"
	"os"
	"strconv"
)

// PidsWithArg lists live processes whose command line holds arg, a token a
// test gave the processes it made.
func PidsWithArg(arg string) []int {
	names, _ := os.ReadDir("/proc")
	var out []int
	for _, n := range names {
		pid, err := strconv.Atoi(n.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + n.Name() + "/cmdline")
		if err != nil || len(b) == 0 { // gone, or a zombie
			continue
		}
		for _, a := range bytes.Split(b, []byte{0}) {
			if string(a) == arg {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}
