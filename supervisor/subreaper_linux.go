package supervisor

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// becomeSubreaper makes orphans of the tree reparent to soakrun instead of
// init, so a daemon that double-forks or calls setsid() is still found
// through parent links and reaped here.
func becomeSubreaper() error {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("become child subreaper: %w", err)
	}
	return nil
}
