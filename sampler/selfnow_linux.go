package sampler

import (
	"bytes"
	"os"
	"strconv"
)

// selfNow reads soakrun's resident memory and open fds now.
func selfNow() (rss *uint64, fds *int) {
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := bytes.Fields(b); len(f) > 1 {
			if pages, err := strconv.ParseUint(string(f[1]), 10, 64); err == nil {
				rss = ptr(pages * uint64(os.Getpagesize()))
			}
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
