package fdbudget

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestNewSizesTheBudget(t *testing.T) {
	for _, c := range []struct{ limit, size int }{
		{0, -1},      // no limit known: no bound
		{-5, -1},     // likewise
		{50, 0},      // below the reserve: keep nothing
		{100, 25},    // a quarter
		{256, 64},    // a quarter; 192 left
		{1024, 256},  // the kernel's default soft limit
		{4096, 1024}, // a common hard limit
		{80, 16},     // a quarter leaves 64
		{70, 6},      // the reserve wins over the quarter
		{1 << 20, 1 << 18},
	} {
		if got := New(c.limit).Stats().Size; got != c.size {
			t.Errorf("New(%d): budget %d, want %d", c.limit, got, c.size)
		}
	}
}

func TestKeepWithinTheBudget(t *testing.T) {
	b := New(80) // 16 files
	var said []string
	b.StartRun(func(f string, a ...any) { said = append(said, fmt.Sprintf(f, a...)) }, nil)
	for range 8 {
		if !b.Keep(2) {
			t.Fatalf("Keep(2) refused at %d held", b.Held())
		}
	}
	if b.Keep(1) || b.Keep(2) {
		t.Fatal("Keep granted past the budget")
	}
	b.Release(2)
	if !b.Keep(2) {
		t.Fatal("Keep refused after a Release")
	}
	st := b.Stats()
	if st.PeakKept != 16 || st.Refused != 2 || b.Held() != 16 {
		t.Errorf("stats %v, held %d; want peak 16, refused 2, held 16", st, b.Held())
	}
	if len(said) != 1 || !strings.Contains(said[0], "open-file limit 80") || !strings.Contains(said[0], "16 files") {
		t.Errorf("want one line naming the limit and the budget, got %q", said)
	}
}

func TestShortShrinksTheBudgetAndSaysSoOnce(t *testing.T) {
	b := New(1024)
	var warned []string
	b.StartRun(nil, func(f string, a ...any) { warned = append(warned, fmt.Sprintf(f, a...)) })
	b.Keep(100)
	if b.Short(os.ErrNotExist) {
		t.Fatal("ENOENT taken for a shortage")
	}
	emfile := &os.PathError{Op: "open", Path: "/proc/1/stat", Err: syscall.EMFILE}
	if !b.Short(emfile) || !b.Short(fmt.Errorf("read: %w", syscall.ENFILE)) {
		t.Fatal("EMFILE or ENFILE not taken for a shortage")
	}
	st := b.Stats()
	if st.Short != 2 || st.Size != 50 {
		t.Errorf("stats %v; want 2 shortages and the budget down to half the 100 kept", st)
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "open-file limit 1024") || !strings.Contains(warned[0], "too many open files") {
		t.Errorf("want one warning naming the limit and the error, got %q", warned)
	}
}

func TestNilBudgetKeepsWithoutBound(t *testing.T) {
	var b *Budget
	if !b.Keep(1 << 20) {
		t.Error("a nil budget refused")
	}
	b.Release(1)
	if !b.Short(syscall.EMFILE) {
		t.Error("a nil budget did not recognise EMFILE")
	}
}

// A run's account starts afresh: a program's second run is not told of
// the first's refusals, shortages or peak, and a budget shrunk by them is
// whole again.
func TestStartRunCountsAfresh(t *testing.T) {
	b := New(80) // 16 files
	var said int
	b.StartRun(func(string, ...any) { said++ }, nil)
	b.Keep(16)
	b.Keep(1)
	b.Short(syscall.EMFILE)
	b.Release(12)
	b.StartRun(func(string, ...any) { said++ }, nil)
	if st := b.Stats(); st.PeakKept != 4 || st.Refused != 0 || st.Short != 0 || st.Size != 16 {
		t.Errorf("after StartRun: %+v; want peak 4 (the files still kept), nothing refused or short, the budget 16 again", st)
	}
	b.Keep(13)
	if said != 2 {
		t.Errorf("the full budget was said %d times over two runs, want once each", said)
	}
}
