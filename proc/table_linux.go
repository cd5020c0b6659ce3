package proc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/soakrun/soakrun/internal/fdbudget"
)

// table keeps /proc/PID/stat and /proc/PID/schedstat open for every process
// it has listed, and does as little as it can per listing:
//
//   - An open stat file stays bound to its process: once that process is
//     reaped, reads fail with ESRCH, so a recycled pid is never mistaken for
//     the process that had it. Reading it again is one pread(2).
//   - schedstat's run time and count of times scheduled change whenever the
//     process runs. A single-threaded process that was not running at its
//     last read, whose counts have not moved and whose parent is the same
//     process as then, has not changed since: the last read is reused
//     (Process.Quiet) for the price of the shorter file. Only its resident
//     memory may have moved, since pages can be reclaimed from a sleeper.
//   - That probe is spent only where it can pay: never on a multi-threaded
//     process (schedstat counts only its main thread), and on one that ran
//     between the last two listings only every probeEvery listings, so a
//     busy process costs one read, not two, and one that falls asleep is
//     found quiet again within probeEvery+1 listings.
//   - /proc/sys/kernel/ns_last_pid moves whenever a process or thread is
//     born in this pid namespace or below it. While it stands still the
//     previous listing's pids are the candidates, and /proc is not read.
//
// The files it keeps count against the process's descriptor budget
// (fdbudget): past it, a process is read without keeping files (open,
// read, close) and asks again at the next listing, so the files go to the
// processes that live long enough to reuse them. Where a read fails for
// want of a descriptor, the process is left out and the listing says so
// (IncompleteError).
type table struct {
	budget  *fdbudget.Budget
	closed  bool
	dir     *os.File // /proc
	files   map[int]*statFile
	gen     uint64       // listings so far
	names   []string     // the pids of the previous listing
	only    map[int]bool // the processes a listing keeps files for; nil: all
	lastPID lastPID
	buf     []byte
}

// probeEvery is how many listings a busy process goes between probes of
// its schedstat.
const probeEvery = 8

// statFile is what the table keeps for one process.
type statFile struct {
	fd    int
	sched int // schedstat, or -1
	gen   uint64
	last  Process // the last read of stat
	// ran is schedstat as read at listing ranGen, at or before the read of
	// last: while it has not moved, neither has the process.
	ran    ran
	ranGen uint64
	// busy: the last probe found that the process had run since the
	// listing before.
	busy   bool
	probes int // schedstat reads, for tests
	// parent is the parent's start time when the stat file was last read
	// (0: unknown), so a sleeper whose parent died, and which was
	// reparented without running, is read again.
	parent uint64
}

// ran is what schedstat says of how much a task has run.
type ran struct{ runtime, slices uint64 }

func newTable() *table {
	return &table{budget: fdbudget.Process(), files: map[int]*statFile{}, buf: make([]byte, 1024), lastPID: openLastPID()}
}

func (t *table) list() ([]Process, error) {
	if t.closed {
		return list()
	}
	names, err := t.pids()
	if err != nil {
		return nil, err
	}
	out := make([]Process, 0, len(names))
	found := names[:0:0]
	var short []string
	t.gen++
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		p, err := t.readOne(pid, n, t.only == nil || t.only[pid])
		switch {
		case errors.Is(err, ErrNotFound):
			continue // exited while we read
		case fdbudget.IsShort(err):
			short = append(short, n)
			found = append(found, n) // still there, as far as we know
			continue
		case err != nil:
			return nil, err
		}
		out = append(out, p)
		found = append(found, n)
	}
	t.names = found
	out, err = t.checkParents(out)
	if err != nil {
		return nil, err
	}
	t.forgetUnread()
	return t.readShort(out, short)
}

// readShort reads again, without keeping files, the processes a listing
// could not read for want of descriptors, once the table has let go of
// every file it kept: those it still cannot read are left out, and the
// listing says so.
func (t *table) readShort(out []Process, short []string) ([]Process, error) {
	if len(short) == 0 {
		return out, nil
	}
	t.shed()
	var missed unread
	for _, n := range short {
		pid, _ := strconv.Atoi(n)
		p, err := t.readOnce(pid, n)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			missed.add(err)
		default:
			out = append(out, p)
		}
	}
	return missed.result(out)
}

// shed lets go of every kept file: descriptors ran short.
func (t *table) shed() {
	for pid, f := range t.files {
		t.release(f)
		delete(t.files, pid)
	}
}

// forgetUnread closes the files of processes this listing did not read.
func (t *table) forgetUnread() {
	for pid, f := range t.files {
		if f.gen != t.gen {
			t.release(f)
			delete(t.files, pid)
		}
	}
}

// read reads the processes pids, and only them, as list does.
func (t *table) read(pids []int) ([]Process, error) {
	if t.closed {
		return getEach(pids)
	}
	if err := t.openDir(); err != nil {
		return nil, err
	}
	out := make([]Process, 0, len(pids))
	var short []string
	t.gen++
	for _, pid := range pids {
		n := strconv.Itoa(pid)
		p, err := t.readOne(pid, n, true)
		switch {
		case errors.Is(err, ErrNotFound):
			continue
		case fdbudget.IsShort(err):
			short = append(short, n)
			continue
		case err != nil:
			return nil, err
		}
		out = append(out, p)
	}
	out, err := t.checkParents(out)
	if err != nil {
		return nil, err
	}
	t.forgetUnread()
	return t.readShort(out, short)
}

// pids names the processes to read: /proc's entries, or the previous
// listing's when no pid has been handed out since it was made.
func (t *table) pids() ([]string, error) {
	mark, ok := t.lastPID.read()
	if ok && t.lastPID.valid && t.names != nil && mark == t.lastPID.atList {
		return t.names, nil
	}
	if t.dir != nil {
		if _, err := t.dir.Seek(0, 0); err != nil {
			return nil, fmt.Errorf("rewind /proc: %w", err)
		}
	} else if err := t.openDir(); err != nil {
		return nil, err
	}
	names, err := t.dir.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("read /proc: %w", err)
	}
	// Read before the directory: a pid handed out since then moves it.
	t.lastPID.atList, t.lastPID.valid = mark, ok
	return names, nil
}

// openDir opens /proc, which the process files are opened from, once.
func (t *table) openDir() error {
	if t.dir != nil {
		return nil
	}
	d, err := os.Open("/proc")
	if err != nil {
		return fmt.Errorf("open /proc: %w", err)
	}
	t.dir = d
	return nil
}

// checkParents reads again, in full, every quiet process whose parent is
// not the process it was at the last full read: its parent link may have
// moved without it running.
func (t *table) checkParents(out []Process) ([]Process, error) {
	keep := out[:0]
	for _, p := range out {
		pid, f := p.PID, t.files[p.PID]
		if p.Quiet && !t.sameParent(p, f) {
			var err error
			// It was just found quiet: its mark still holds.
			if p, err = t.readFull(pid, f); errors.Is(err, ErrNotFound) {
				t.release(f)
				delete(t.files, pid)
				continue
			} else if err != nil {
				return nil, err
			}
		}
		keep = append(keep, p)
	}
	for _, p := range keep {
		if f := t.files[p.PID]; f != nil && !p.Quiet {
			f.parent = 0
			if pf := t.files[p.PPID]; pf != nil && pf.gen == t.gen {
				f.parent = pf.last.Start
			}
		}
	}
	return keep, nil
}

func (t *table) sameParent(p Process, f *statFile) bool {
	pf := t.files[p.PPID]
	return f.parent != 0 && pf != nil && pf.gen == t.gen && pf.last.Start == f.parent && !pf.last.Zombie
}

// readOne reads one process through its kept files, opening them first when
// the process is new (or its pid is, for a new process) and keep allows it.
// A process that has not run since its last read is not read again.
func (t *table) readOne(pid int, name string, keep bool) (Process, error) {
	if f, ok := t.files[pid]; ok {
		if f.worthProbing(t.gen) {
			r := t.readRan(f)
			if f.sleptSince(r) {
				f.gen = t.gen
				p := f.last
				p.Quiet = true
				return p, nil
			}
			f.busy = f.ranGen+1 == t.gen
			f.ran, f.ranGen = r, t.gen
		}
		p, err := t.readFull(pid, f)
		if !errors.Is(err, ErrNotFound) {
			return p, err
		}
		// The process we had the files of is gone; the pid may now be
		// another's.
		t.release(f)
		delete(t.files, pid)
	}
	if !keep || !t.budget.Keep(2) {
		return t.readOnce(pid, name) // not to be kept, or past the budget
	}
	fd, err := unix.Openat(int(t.dir.Fd()), name+"/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	switch {
	case errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH):
		t.budget.Release(2)
		return Process{}, ErrNotFound
	case err != nil:
		t.budget.Release(2)
		t.budget.Short(err)
		return Process{}, fmt.Errorf("open /proc/%d/stat: %w", pid, err)
	}
	sched, err := unix.Openat(int(t.dir.Fd()), name+"/schedstat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		sched = -1 // without it, the process is read in full every time
		t.budget.Release(1)
	}
	f := &statFile{fd: fd, sched: sched}
	f.ran, f.ranGen = t.readRan(f), t.gen
	p, err := t.readFull(pid, f)
	if err != nil {
		t.release(f)
		return Process{}, err
	}
	t.files[pid] = f
	return p, nil
}

// readOnce reads a process without keeping its file: open, read, close.
func (t *table) readOnce(pid int, name string) (Process, error) {
	fd, err := unix.Openat(int(t.dir.Fd()), name+"/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	switch {
	case errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH):
		return Process{}, ErrNotFound
	case err != nil:
		t.budget.Short(err)
		return Process{}, fmt.Errorf("open /proc/%d/stat: %w", pid, err)
	}
	defer unix.Close(fd)
	b, err := t.pread(fd)
	if errors.Is(err, unix.ESRCH) {
		return Process{}, ErrNotFound
	} else if err != nil {
		return Process{}, fmt.Errorf("read /proc/%d/stat: %w", pid, err)
	}
	p, err := parseStat(b, "")
	if err != nil {
		return Process{}, fmt.Errorf("parse /proc/%d/stat: %w", pid, err)
	}
	return p, nil
}

// readFull reads stat. f.ran must have been read before: whatever the
// process does after that shows in the next reading of schedstat.
func (t *table) readFull(pid int, f *statFile) (Process, error) {
	b, err := t.pread(f.fd)
	if errors.Is(err, unix.ESRCH) {
		return Process{}, ErrNotFound
	} else if err != nil {
		return Process{}, fmt.Errorf("read /proc/%d/stat: %w", pid, err)
	}
	p, err := parseStat(b, f.last.Name)
	if err != nil {
		return Process{}, fmt.Errorf("parse /proc/%d/stat: %w", pid, err)
	}
	f.gen, f.last = t.gen, p
	return p, nil
}

// worthProbing says whether reading schedstat before stat may spare the
// next read of stat. Busy processes are probed in turns, by pid, so the
// probes are spread over the listings.
func (f *statFile) worthProbing(gen uint64) bool {
	if f.last.Threads != 1 {
		return false
	}
	return !f.busy || (gen+uint64(f.last.PID))%probeEvery == 0
}

// sleptSince reports whether f's process has not run since its last full
// read, given schedstat now. A multi-threaded process is always read:
// schedstat counts only its main thread. So is one that was running then,
// since a task that never leaves the CPU is not counted as scheduled again.
func (f *statFile) sleptSince(now ran) bool {
	return f.last.Threads == 1 && f.last.Status != "running" && f.ran.slices != 0 && now == f.ran
}

// readRan reads schedstat; the zero ran (never scheduled) if it cannot,
// which never matches a process that has run.
func (t *table) readRan(f *statFile) ran {
	if f.sched < 0 {
		return ran{}
	}
	f.probes++
	n, err := unix.Pread(f.sched, t.buf, 0)
	if err != nil {
		return ran{}
	}
	rt, ok1 := NumberField(t.buf[:n], 0)
	sl, ok2 := NumberField(t.buf[:n], 2)
	if !ok1 || !ok2 {
		return ran{}
	}
	return ran{rt, sl}
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

func (t *table) release(f *statFile) {
	unix.Close(f.fd)
	n := 1
	if f.sched >= 0 {
		unix.Close(f.sched)
		n++
	}
	t.budget.Release(n)
}

func (t *table) keepOnly(pids []int) {
	if pids == nil {
		t.only = nil
		return
	}
	if t.only == nil {
		t.only = make(map[int]bool, len(pids))
	}
	clear(t.only)
	for _, pid := range pids {
		t.only[pid] = true
	}
	for pid, f := range t.files {
		if !t.only[pid] {
			t.release(f)
			delete(t.files, pid)
		}
	}
}

func (t *table) close() error {
	t.closed = true
	t.shed()
	t.names = nil
	t.lastPID.close()
	if t.dir == nil {
		return nil
	}
	err := t.dir.Close()
	t.dir = nil
	return err
}

// lastPID reads the last pid handed out in this pid namespace.
type lastPID struct {
	fd     int // -1: not available
	atList uint64
	valid  bool
	buf    [24]byte
}

// openLastPID opens ns_last_pid if /proc is this process's own pid
// namespace's: /proc/self then names this process.
func openLastPID() lastPID {
	if self, err := os.Readlink("/proc/self"); err != nil || self != strconv.Itoa(os.Getpid()) {
		return lastPID{fd: -1}
	}
	fd, err := unix.Open("/proc/sys/kernel/ns_last_pid", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return lastPID{fd: -1}
	}
	return lastPID{fd: fd}
}

func (l *lastPID) read() (uint64, bool) {
	if l.fd < 0 {
		return 0, false
	}
	n, err := unix.Pread(l.fd, l.buf[:], 0)
	if err != nil {
		return 0, false
	}
	v, err := statNumber(bytes.TrimSpace(l.buf[:n]))
	return v, err == nil
}

func (l *lastPID) close() {
	if l.fd >= 0 {
		unix.Close(l.fd)
		l.fd = -1
	}
}
