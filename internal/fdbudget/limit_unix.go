//go:build unix

package fdbudget

import "golang.org/x/sys/unix"

// openFileLimit is RLIMIT_NOFILE's soft limit, 0 where it cannot be read
// or is unlimited.
func openFileLimit() int {
	var r unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &r); err != nil || r.Cur == unix.RLIM_INFINITY || r.Cur > 1<<30 {
		return 0
	}
	return int(r.Cur)
}
