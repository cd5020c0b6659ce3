package sampler

import (
	"os"
)

// selfNow reads soakrun's resident memory and open fds now.
func selfNow() (rss *uint64, fds *int) {
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if n, ok := parseStatm(b); ok {
			rss = ptr(n)
		}
	}
	if fi, err := os.Stat("/proc/self/fd"); err == nil && fi.Size() > 0 {
		fds = ptr(int(fi.Size()))
	} else if names, err := readDirNames("/proc/self/fd"); err == nil {
		fds = ptr(len(names) - 1) // less the fd reading the directory
	}
	return rss, fds
}

func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}
