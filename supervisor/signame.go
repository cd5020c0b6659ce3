package supervisor

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
)

func parseSignalNumber(s string) (syscall.Signal, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	if n <= 0 || n > 64 {
		return 0, fmt.Errorf("signal number %d out of range", n)
	}
	return syscall.Signal(n), nil
}

func normaliseSignalName(s string) string {
	name := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	return name
}
