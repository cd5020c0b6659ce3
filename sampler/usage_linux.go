package sampler

import (
	"bytes"
	"errors"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/soakrun/soakrun/proc"
)

// linuxUsage adds the open-fd count and the I/O counters to what the
// /proc/PID/stat listing already gave, at two system calls per member: since
// Linux 6.2 the size of /proc/PID/fd is its number of open fds (older
// kernels pay for reading the directory), and /proc/PID/io is kept open
// between samples and read again with one pread. An open io file stays
// bound to its process, so a recycled pid cannot answer for it.
type linuxUsage struct {
	proc int // /proc, or -1 if it could not be opened
	io   map[proc.Identity]int
	fds  map[proc.Identity]int  // /proc/PID/fd, kept open for fstat(2)
	seen map[proc.Identity]bool // read since the last sweep
	buf  []byte
}

func newUsageReader() usageReader {
	fd, err := unix.Open("/proc", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		fd = -1
	}
	return &linuxUsage{proc: fd, io: map[proc.Identity]int{}, fds: map[proc.Identity]int{}, seen: map[proc.Identity]bool{}, buf: make([]byte, 512)}
}

func (l *linuxUsage) read(p proc.Process) usage {
	u := fromTable(p)
	if p.Zombie || l.proc < 0 {
		return u // a zombie holds no files and does no I/O
	}
	dir := strconv.Itoa(p.PID)
	n, err := l.countFDs(p.Identity, dir+"/fd")
	switch {
	case err == nil:
		u.Handles, u.HasHandles = n, true
	case errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH):
		return usage{Gone: true}
	}
	if r, w, ok := l.readIO(p.Identity, dir+"/io"); ok {
		u.IOReadBytes, u.IOWriteBytes, u.HasIO = r, w, true
	}
	return u
}

func (l *linuxUsage) countFDs(id proc.Identity, path string) (int, error) {
	l.seen[id] = true
	fd, err := l.keep(l.fds, id, path, unix.O_DIRECTORY)
	if err != nil {
		return 0, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		delete(l.fds, id)
		return 0, err
	}
	if st.Size > 0 {
		return int(st.Size), nil
	}
	if _, err := unix.Seek(fd, 0, 0); err != nil {
		return 0, err
	}
	count, buf := 0, make([]byte, 8192)
	for {
		n, err := unix.ReadDirent(fd, buf)
		if err != nil {
			return 0, err
		}
		if n == 0 {
			return count - 2, nil // . and ..
		}
		for b := buf[:n]; len(b) > 0; {
			reclen := int(b[16]) | int(b[17])<<8 // struct linux_dirent64
			count++
			b = b[reclen:]
		}
	}
}

// readIO reads read_bytes and write_bytes, the bytes that reached the
// storage layer (what psutil reports as io_counters).
func (l *linuxUsage) readIO(id proc.Identity, path string) (read, write uint64, ok bool) {
	fd, err := l.keep(l.io, id, path, 0)
	if err != nil {
		return 0, 0, false
	}
	n, err := unix.Pread(fd, l.buf, 0)
	if err != nil {
		unix.Close(fd)
		delete(l.io, id)
		return 0, 0, false
	}
	return parseIO(l.buf[:n])
}

// keep returns the kept file of id under /proc, opening it the first time.
func (l *linuxUsage) keep(files map[proc.Identity]int, id proc.Identity, path string, flags int) (int, error) {
	if fd, ok := files[id]; ok {
		return fd, nil
	}
	fd, err := unix.Openat(l.proc, path, unix.O_RDONLY|unix.O_CLOEXEC|flags, 0)
	if err != nil {
		return -1, err
	}
	files[id] = fd
	return fd, nil
}

func (l *linuxUsage) sweep() {
	for _, files := range []map[proc.Identity]int{l.io, l.fds} {
		for id, fd := range files {
			if !l.seen[id] {
				unix.Close(fd)
				delete(files, id)
			}
		}
	}
	clear(l.seen)
}

func parseIO(b []byte) (read, write uint64, ok bool) {
	var haveR, haveW bool
	for line := range bytes.Lines(b) {
		k, v, found := bytes.Cut(bytes.TrimSpace(line), []byte(": "))
		if !found {
			continue
		}
		switch string(k) {
		case "read_bytes":
			n, err := strconv.ParseUint(string(v), 10, 64)
			read, haveR = n, err == nil
		case "write_bytes":
			n, err := strconv.ParseUint(string(v), 10, 64)
			write, haveW = n, err == nil
		}
	}
	return read, write, haveR && haveW
}
