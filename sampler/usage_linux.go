package sampler

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strconv"

	"github.com/soakrun/soakrun/proc"
)

// readUsage adds the open-fd count and the I/O counters to what the
// /proc/PID/stat listing already gave. It costs one stat(2) and one read per
// member: since Linux 6.2 the size of /proc/PID/fd is the number of open fds,
// and only older kernels pay for reading the directory.
func readUsage(p proc.Process) usage {
	u := fromTable(p)
	if p.Zombie {
		return u // a zombie holds no files and does no I/O
	}
	dir := "/proc/" + strconv.Itoa(p.PID)
	n, err := countFDs(dir + "/fd")
	switch {
	case err == nil:
		u.Handles, u.HasHandles = n, true
	case errors.Is(err, fs.ErrNotExist):
		return usage{Gone: true}
	}
	if r, w, ok := readIO(dir + "/io"); ok {
		u.IOReadBytes, u.IOWriteBytes, u.HasIO = r, w, true
	}
	return u
}

func countFDs(dir string) (int, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return 0, err
	}
	if fi.Size() > 0 {
		return int(fi.Size()), nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	return len(names), err
}

// readIO reads read_bytes and write_bytes, the bytes that reached the
// storage layer (what psutil reports as io_counters).
func readIO(path string) (read, write uint64, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, false
	}
	var haveR, haveW bool
	for line := range bytes.Lines(b) {
		k, v, found := bytes.Cut(bytes.TrimSpace(line), []byte(": "))
		if !found {
			continue
		}
		n, err := strconv.ParseUint(string(v), 10, 64)
		if err != nil {
			continue
		}
		switch string(k) {
		case "read_bytes":
			read, haveR = n, true
		case "write_bytes":
			write, haveW = n, true
		}
	}
	return read, write, haveR && haveW
}
