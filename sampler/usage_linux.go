package sampler

import (
	"bytes"
	"errors"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/soakrun/soakrun/internal/fdbudget"
	"github.com/soakrun/soakrun/proc"
)

// linuxUsage completes what the /proc/PID/stat listing gave with a few
// more kept files per member, each read again with one system call:
//
//   - statm for the resident memory, as psutil reads it. stat's figure is the
//     kernel's fast estimate, which can be off by a per-CPU batch of pages;
//     statm's is summed exactly.
//   - the fd directory, whose size since Linux 6.2 is its number of open fds
//     (older kernels pay for reading the directory);
//   - io, for the bytes that reached the storage layer.
//
// A member the listing found quiet (it has not run since the previous
// sample) cannot have opened a file or done I/O, so its last fd and I/O
// figures stand and only statm is read. An open file stays bound to its
// process, so a recycled pid cannot answer for it.
//
// The files it keeps count against the process's descriptor budget
// (fdbudget): past it, a member's files are opened, read and closed at each
// read, and kept again once the budget has room.
//
// Where the kernel keeps the tree's totals (a cgroup ran) the reader is
// lean: it reads only what a member alone can say, its open fds and its
// I/O; the resident set comes from the listing's stat (the kernel's
// estimate).
type linuxUsage struct {
	budget  *fdbudget.Budget
	proc    int // /proc, or -1 if it could not be opened
	lean    bool
	members map[proc.Identity]*memberFiles
	buf     []byte
}

// memberFiles is what linuxUsage keeps for one member.
type memberFiles struct {
	io, fds, statm int   // kept files, -1 until opened
	last           usage // the last read, once known
	known          bool
	fresh          bool // read since the last sweep
}

func newUsageReader() usageReader {
	fd, err := unix.Open("/proc", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		fd = -1
	}
	return &linuxUsage{budget: fdbudget.Process(), proc: fd, members: map[proc.Identity]*memberFiles{}, buf: make([]byte, 512)}
}

func (l *linuxUsage) read(p proc.Process) usage {
	u := l.readMember(p)
	if u.Unread {
		// Descriptors ran short: let go of every kept file, and try
		// once more without them.
		l.shed()
		u = l.readMember(p)
	}
	return u
}

func (l *linuxUsage) readMember(p proc.Process) usage {
	u := fromTable(p)
	if p.Zombie || l.proc < 0 {
		return u // a zombie holds no files and does no I/O
	}
	m := l.members[p.Identity]
	if m == nil {
		m = &memberFiles{io: -1, fds: -1, statm: -1}
		l.members[p.Identity] = m
	}
	if p.Quiet && m.known {
		u.Handles, u.HasHandles = m.last.Handles, m.last.HasHandles
		u.IOReadBytes, u.IOWriteBytes, u.HasIO = m.last.IOReadBytes, m.last.IOWriteBytes, m.last.HasIO
	} else {
		n, err := l.countFDs(m, p.PID)
		switch {
		case err == nil:
			u.Handles, u.HasHandles = n, true
		case errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH):
			return usage{Gone: true}
		case fdbudget.IsShort(err):
			return usage{Unread: true}
		}
		// Read lean too: the cgroup's own I/O count misses buffered
		// writes under cgroup v1 and under v2 without the io controller,
		// and only a member's count names the writer when the disk fills.
		if r, w, ok := l.readIO(m, p.PID); ok {
			u.IOReadBytes, u.IOWriteBytes, u.HasIO = r, w, true
		}
	}
	if l.lean {
		m.last, m.known, m.fresh = u, true, true
		return u
	}
	switch rss, err := l.readRSS(m, p.PID); {
	case err == nil:
		u.RSSBytes, u.HasRSS = rss, true
	case errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH):
		return usage{Gone: true}
	case fdbudget.IsShort(err):
		return usage{Unread: true}
	}
	m.last, m.known, m.fresh = u, true, true
	return u
}

// readRSS reads the resident set from statm.
func (l *linuxUsage) readRSS(m *memberFiles, pid int) (uint64, error) {
	fd, done, err := l.open(&m.statm, pid, "/statm", 0)
	if err != nil {
		return 0, err
	}
	defer done()
	n, err := unix.Pread(fd, l.buf, 0)
	if err != nil {
		l.drop(&m.statm)
		return 0, err
	}
	if rss, ok := parseStatm(l.buf[:n]); ok {
		return rss, nil
	}
	return 0, errors.New("statm: no resident set")
}

func (l *linuxUsage) countFDs(m *memberFiles, pid int) (int, error) {
	fd, done, err := l.open(&m.fds, pid, "/fd", unix.O_DIRECTORY)
	if err != nil {
		return 0, err
	}
	defer done()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		l.drop(&m.fds)
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
func (l *linuxUsage) readIO(m *memberFiles, pid int) (read, write uint64, ok bool) {
	fd, done, err := l.open(&m.io, pid, "/io", 0)
	if err != nil {
		return 0, 0, false
	}
	defer done()
	n, err := unix.Pread(fd, l.buf, 0)
	if err != nil {
		l.drop(&m.io)
		return 0, 0, false
	}
	return parseIO(l.buf[:n])
}

// open returns the kept file *slot, opening /proc/PID+suffix if it is not
// open, and keeping it where the budget allows. done closes a file that
// was not kept; call it after the read.
func (l *linuxUsage) open(slot *int, pid int, suffix string, flags int) (fd int, done func(), err error) {
	if *slot >= 0 {
		return *slot, func() {}, nil
	}
	f, err := unix.Openat(l.proc, strconv.Itoa(pid)+suffix, unix.O_RDONLY|unix.O_CLOEXEC|flags, 0)
	if err != nil {
		l.budget.Short(err)
		return -1, nil, err
	}
	if !l.budget.Keep(1) {
		return f, func() { unix.Close(f) }, nil
	}
	*slot = f
	return f, func() {}, nil
}

// drop closes the kept file *slot, if one is kept, and gives it back to
// the budget.
func (l *linuxUsage) drop(slot *int) {
	if *slot >= 0 {
		unix.Close(*slot)
		l.budget.Release(1)
		*slot = -1
	}
}

// beLean makes the reader lean (see linuxUsage).
func (l *linuxUsage) beLean() { l.lean = true }

// shed lets go of every kept file.
func (l *linuxUsage) shed() {
	for _, m := range l.members {
		l.drop(&m.io)
		l.drop(&m.fds)
		l.drop(&m.statm)
	}
}

func (l *linuxUsage) sweep() {
	for id, m := range l.members {
		if !m.fresh {
			l.drop(&m.io)
			l.drop(&m.fds)
			l.drop(&m.statm)
			delete(l.members, id)
		}
		m.fresh = false
	}
}

var pageSize = uint64(os.Getpagesize())

// parseStatm reads the resident set, statm's second field, in pages.
func parseStatm(b []byte) (uint64, bool) {
	pages, ok := proc.NumberField(b, 1)
	return pages * pageSize, ok
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
