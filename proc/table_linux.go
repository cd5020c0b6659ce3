package proc

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// table keeps /proc/PID/stat open for every process it has listed, so a
// listing costs one pread(2) per process instead of an open, a read and a
// close. An open stat file stays bound to its process: once that process is
// reaped, reads fail with ESRCH, so a recycled pid is never mistaken for the
// process that had it. When file descriptors run short it reads without
// keeping files open.
type table struct {
	closed bool
	dir    *os.File // /proc
	files  map[int]*statFile
	gen    uint64 // listings so far
	buf    []byte
}

// statFile is one process's kept stat file.
type statFile struct {
	fd   int
	gen  uint64 // the last listing that saw it
	name string // the name it gave last
}

func newTable() *table { return &table{files: map[int]*statFile{}, buf: make([]byte, 1024)} }

func (t *table) list() ([]Process, error) {
	if t.closed {
		return list()
	}
	if t.dir == nil {
		d, err := os.Open("/proc")
		if err != nil {
			return nil, fmt.Errorf("open /proc: %w", err)
		}
		t.dir = d
	} else if _, err := t.dir.Seek(0, 0); err != nil {
		return nil, fmt.Errorf("rewind /proc: %w", err)
	}
	names, err := t.dir.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("read /proc: %w", err)
	}
	out := make([]Process, 0, len(names))
	t.gen++
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		p, err := t.read(pid, n)
		if errors.Is(err, ErrNotFound) {
			continue // exited while we read
		} else if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	for pid, f := range t.files {
		if f.gen != t.gen {
			unix.Close(f.fd)
			delete(t.files, pid)
		}
	}
	return out, nil
}

// read reads one process's stat through its kept file, opening it first
// when the process is new (or its pid is, for a new process).
func (t *table) read(pid int, name string) (Process, error) {
	if f, ok := t.files[pid]; ok {
		b, err := t.pread(f.fd)
		if err == nil {
			return t.parse(pid, f, b)
		}
		// The process we had the file of is gone; the pid may now be
		// another's.
		unix.Close(f.fd)
		delete(t.files, pid)
	}
	fd, err := unix.Openat(int(t.dir.Fd()), name+"/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	switch {
	case errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH):
		return Process{}, ErrNotFound
	case errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE):
		return get(pid) // no descriptor to spare: read without keeping one
	case err != nil:
		return Process{}, fmt.Errorf("open /proc/%d/stat: %w", pid, err)
	}
	b, err := t.pread(fd)
	if err != nil {
		unix.Close(fd)
		if errors.Is(err, unix.ESRCH) {
			return Process{}, ErrNotFound
		}
		return Process{}, fmt.Errorf("read /proc/%d/stat: %w", pid, err)
	}
	f := &statFile{fd: fd}
	t.files[pid] = f
	return t.parse(pid, f, b)
}

func (t *table) parse(pid int, f *statFile, b []byte) (Process, error) {
	p, err := parseStat(b, f.name)
	if err != nil {
		return Process{}, fmt.Errorf("parse /proc/%d/stat: %w", pid, err)
	}
	f.gen, f.name = t.gen, p.Name
	return p, nil
}

// pread reads the whole stat file, growing the buffer for long ones.
func (t *table) pread(fd int) ([]byte, error) {
	for {
		n, err := unix.Pread(fd, t.buf, 0)
		if err != nil {
			return nil, err
		}
		if n < len(t.buf) {
			return t.buf[:n], nil
		}
		t.buf = make([]byte, 2*len(t.buf))
	}
}

func (t *table) close() error {
	t.closed = true
	for pid, f := range t.files {
		unix.Close(f.fd)
		delete(t.files, pid)
	}
	if t.dir == nil {
		return nil
	}
	err := t.dir.Close()
	t.dir = nil
	return err
}
