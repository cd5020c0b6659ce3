package proc

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"

	"github.com/soakrun/soakrun/internal/fdbudget"
)

// sleeps starts n sleeps that the test ends.
func sleeps(t *testing.T, n int) []int {
	t.Helper()
	var out []int
	for range n {
		out = append(out, startCmd(t, exec.Command("sleep", "60")).Process.Pid)
	}
	return out
}

// listsAll lists the table and fails the test unless every one of kids is
// in the listing.
func listsAll(t *testing.T, table *Table, kids []int) {
	t.Helper()
	all, err := table.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range kids {
		if !slices.Contains(pids(all), pid) {
			t.Fatalf("child %d is not listed", pid)
		}
	}
}

// exhaust leaves this process no descriptor to open until the returned
// function is called: the soft open-file limit is lowered and what is below
// it is filled.
func exhaust(t *testing.T) (restore func()) {
	t.Helper()
	var was syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &was); err != nil {
		t.Fatal(err)
	}
	low := was
	low.Cur = uint64(openFDs(t) + 8)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	var held []int
	for {
		fd, err := syscall.Open("/dev/null", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != nil {
			if !errors.Is(err, syscall.EMFILE) {
				t.Fatal(err)
			}
			break
		}
		held = append(held, fd)
	}
	return func() {
		for _, fd := range held {
			syscall.Close(fd)
		}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &was); err != nil {
			t.Fatal(err)
		}
	}
}

// A tree larger than the budget is read whole: the files kept stay within
// the budget, the rest are read without keeping, and Close gives them back.
func TestTableKeepsWithinItsBudget(t *testing.T) {
	kids := sleeps(t, 40)
	before := openFDs(t)
	budget := fdbudget.New(80) // keeps 16 files: 8 processes
	table := NewTable()
	table.t.budget = budget
	for range 3 {
		listsAll(t, table, kids)
		if held := budget.Held(); held > 16 || held < 15 || len(table.t.files) > 8 {
			t.Errorf("%d files kept for %d processes, want the budget's 16 for 8", held, len(table.t.files))
		}
	}
	if st := budget.Stats(); st.Refused == 0 || st.PeakKept > 16 {
		t.Errorf("budget %v: want refusals and a peak within 16", st)
	}
	if err := table.Close(); err != nil {
		t.Fatal(err)
	}
	if budget.Held() != 0 {
		t.Errorf("%d files still counted after Close", budget.Held())
	}
	if after := openFDs(t); after != before {
		t.Errorf("%d fds open after Close, %d before the table", after, before)
	}
}

// Told to keep files for a few processes, a listing of the whole host
// keeps theirs alone, still lists every process, and lets go at once of
// what it kept for the others; nil keeps for all again.
func TestTableKeepsOnlyWhatItIsTold(t *testing.T) {
	kids := sleeps(t, 12)
	budget := fdbudget.New(0) // no bound
	table := NewTable()
	defer table.Close()
	table.t.budget = budget
	if _, err := table.List(); err != nil {
		t.Fatal(err)
	}
	if len(table.t.files) <= len(kids) {
		t.Fatalf("files kept for %d processes, want every process on the host (more than %d)", len(table.t.files), len(kids))
	}
	kept := kids[:3]
	table.KeepOnly(kept)
	for i := range 3 {
		if i > 0 {
			listsAll(t, table, kids)
		}
		var keptFor []int
		for pid := range table.t.files {
			keptFor = append(keptFor, pid)
		}
		slices.Sort(keptFor)
		if !slices.Equal(keptFor, kept) || budget.Held() > 2*len(kept) {
			t.Errorf("listing %d: %d files kept for %v, want at most %d for %v", i, budget.Held(), keptFor, 2*len(kept), kept)
		}
	}
	if st := budget.Stats(); st.Refused != 0 {
		t.Errorf("budget %v: the processes not kept were refused, want them not asked for", st)
	}
	table.KeepOnly(nil)
	if _, err := table.List(); err != nil {
		t.Fatal(err)
	}
	if len(table.t.files) <= len(kids) {
		t.Errorf("files kept for %d processes after KeepOnly(nil), want every process again", len(table.t.files))
	}
}

// Descriptors run short while processes the table has no files for are
// new: it lets go of the files it kept and reads them without keeping, so
// the listing is still whole, and the shortage is counted.
func TestTableShedsItsFilesWhenDescriptorsRunShort(t *testing.T) {
	budget := fdbudget.New(0) // no bound: it keeps a file per process
	table := NewTable()
	table.t.budget = budget
	defer table.Close()
	sleeps(t, 30)
	if _, err := table.List(); err != nil {
		t.Fatal(err)
	}
	kept := budget.Held()
	late := sleeps(t, 10)
	restore := exhaust(t)
	all, err := table.List()
	restore()
	if err != nil {
		t.Fatalf("listing with kept files to shed: %v", err)
	}
	for _, pid := range late {
		if !slices.Contains(pids(all), pid) {
			t.Errorf("a process started before the shortage, %d, is not listed", pid)
		}
	}
	if st := budget.Stats(); st.Short == 0 || budget.Held() != 0 || st.Size > kept/2 {
		t.Errorf("budget %v, %d kept (of %d before): want a shortage counted, every file let go and the budget at most half", st, budget.Held(), kept)
	}
}

// With nothing to shed, what cannot be read is left out, and the listing
// says how much. The host's other processes come and go meanwhile (a test
// beside this one starts and ends 3000), so the counts are held against
// the listings before and after, and the test's own processes must be
// listed again once descriptors are back.
func TestTableSaysWhatItCouldNotRead(t *testing.T) {
	table := NewTable()
	table.t.budget = fdbudget.New(50) // keeps nothing
	defer table.Close()
	mine := sleeps(t, 5)
	whole, err := table.List()
	if err != nil {
		t.Fatal(err)
	}
	restore := exhaust(t)
	some, err := table.List()
	restore()
	again, againErr := table.List()
	var ie *IncompleteError
	if !errors.As(err, &ie) || !errors.Is(err, syscall.EMFILE) {
		t.Fatalf("err %v, want an IncompleteError for EMFILE", err)
	}
	if ie.Unread == 0 || len(some)+ie.Unread < min(len(whole), len(again))-5 || Unread(err) != ie.Unread {
		t.Errorf("%d listed and %d unread, of about %d before and %d after", len(some), ie.Unread, len(whole), len(again))
	}
	if againErr != nil {
		t.Errorf("after the shortage: %v", againErr)
	}
	for _, pid := range mine {
		if !slices.Contains(pids(again), pid) {
			t.Errorf("after the shortage, this test's process %d is not listed", pid)
		}
	}
	if Unread(nil) != 0 || Unread(os.ErrClosed) != 0 {
		t.Error("Unread counts an error that is not an IncompleteError")
	}
}
