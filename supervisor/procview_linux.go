package supervisor

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

// ErrForeignProc is returned when /proc shows another pid namespace than
// soakrun's own: every pid soakrun would read there names another process.
var ErrForeignProc = errors.New("/proc belongs to another pid namespace")

// checkProcIsOurs refuses to supervise where /proc was mounted for another
// pid namespace (`unshare --pid --fork` without --mount-proc, a container
// that shares the host's /proc): soakrun finds, identifies and signals
// members through /proc, and there each pid it reads would name a stranger
// or nothing at all. /proc/self names the reader as /proc's namespace sees
// it, so a mismatch with getpid(2) says which case this is.
func checkProcIsOurs() error {
	self, err := os.Readlink("/proc/self")
	if err != nil {
		return fmt.Errorf("read /proc/self: %w (is /proc mounted?)", err)
	}
	if self != strconv.Itoa(os.Getpid()) {
		return fmt.Errorf("%w: soakrun is pid %d in its own namespace but %s in /proc's; mount a /proc for this namespace (unshare --mount-proc, or mount -t proc proc /proc)",
			ErrForeignProc, os.Getpid(), self)
	}
	return nil
}
