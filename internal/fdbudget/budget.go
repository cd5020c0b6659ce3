package fdbudget

import (
	"errors"
	"sync"
	"syscall"
)

// Reserve is how many descriptors the budget always leaves free below the
// open-file limit, whatever the limit: for the pidfds of the stop, the
// output files, the metrics listener and its connections, the pusher, the
// guard's pipe and the reads of members whose files are not kept.
const Reserve = 64

// Share is the part of the open-file limit that kept files may take.
const Share = 4 // a quarter

// Budget counts the files kept open for reading the tree. A file kept is
// Kept, and Released when closed; past the budget, Keep says no and the
// reader reads without keeping (open, read, close). A nil Budget keeps
// without bound. A Budget is safe for concurrent use.
type Budget struct {
	limit int // the open-file limit it was sized from; 0: none known
	size  int // how many files may be kept at once; -1: no bound

	mu                  sync.Mutex
	held, peak          int
	refused, short      int
	log, warn           func(format string, args ...any)
	saidFull, saidShort bool
}

// New sizes a budget for an open-file limit: a Share of it, and never so
// much that fewer than Reserve descriptors are left. A limit of 0 or less
// means none is known: the budget is then unbounded.
func New(limit int) *Budget {
	return &Budget{limit: max(limit, 0), size: sizeFor(limit)}
}

// sizeFor is the budget for an open-file limit, before any shortage.
func sizeFor(limit int) int {
	if limit <= 0 {
		return -1
	}
	return max(min(limit/Share, limit-Reserve), 0)
}

var (
	processOnce sync.Once
	process     *Budget
)

// Process is the budget of this process, sized from its open-file limit
// the first time it is asked for. Go raises the soft limit to the hard one
// as a program starts, so that is the limit it is sized from.
func Process() *Budget {
	processOnce.Do(func() { process = New(openFileLimit()) })
	return process
}

// Replace makes b the process's budget for the readers made from now on,
// and returns what puts the one before back: for tests and benchmarks that
// measure a budget other than their own limit's.
func Replace(b *Budget) (restore func()) {
	was := Process()
	process = b
	return func() { process = was }
}

// StartRun starts a run's account: the peak counts from the files kept
// now, the refusals and shortages from zero, a budget shrunk by shortages
// is whole again, and log and warn are where the budget says, once in
// the run, that it is full (log) and that descriptors ran short (warn).
func (b *Budget) StartRun(log, warn func(format string, args ...any)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.log, b.warn = log, warn
	b.peak, b.refused, b.short = b.held, 0, 0
	b.saidFull, b.saidShort = false, false
	b.size = sizeFor(b.limit)
}

// Keep asks to keep n more files open. It reports whether they may be;
// if so, Release them when they are closed.
func (b *Budget) Keep(n int) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.size >= 0 && b.held+n > b.size {
		b.refused++
		if !b.saidFull && b.log != nil {
			b.saidFull = true
			b.log("open-file limit %d: the tree needs more than the %d files kept open for reading it; its other members are read without keeping files (more CPU per sample, none left out)", b.limit, b.size)
		}
		return false
	}
	b.held += n
	b.peak = max(b.peak, b.held)
	return true
}

// Release gives back n files Kept before.
func (b *Budget) Release(n int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held -= n
}

// Short reports whether err says that descriptors ran short (EMFILE: this
// process's limit; ENFILE: the system's), and counts it if so. Running
// short means something else holds more descriptors than the reserve
// allowed for, so the budget shrinks to half of what is kept now: the
// reader that ran short lets its kept files go (see proc.Table) and keeps
// again only within that.
func (b *Budget) Short(err error) bool {
	if !IsShort(err) {
		return false
	}
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.short++
	if b.size < 0 || b.size > b.held/2 {
		b.size = b.held / 2
	}
	if !b.saidShort && b.warn != nil {
		b.saidShort = true
		b.warn("out of file descriptors (open-file limit %d): %v; samples that miss members say so (process_unread) and are not judged, and the stop signals the tree's process groups as well as each member", b.limit, err)
	}
	return true
}

// IsShort reports whether err says that descriptors ran short.
func IsShort(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

// Stats is what a budget did over a run (since StartRun).
type Stats struct {
	// Limit is the open-file limit the budget was sized from (0: none
	// known), Size the files it allows to be kept now (-1: no bound;
	// smaller than at the start once descriptors ran short).
	Limit int `json:"open_file_limit"`
	Size  int `json:"kept_files_budget"`
	// PeakKept is the most files kept at once.
	PeakKept int `json:"kept_files_peak"`
	// Refused counts the times a file was not kept because the budget was
	// full: that member was read without keeping it.
	Refused int `json:"kept_files_refused"`
	// Short counts reads that failed because descriptors ran short
	// (EMFILE, ENFILE).
	Short int `json:"descriptor_shortages"`
}

// Stats says what the budget did so far.
func (b *Budget) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return Stats{Limit: b.limit, Size: b.size, PeakKept: b.peak, Refused: b.refused, Short: b.short}
}

// Held is how many files are kept now.
func (b *Budget) Held() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.held
}
