//go:build unix

package fdbudget

import (
	"syscall"
	"testing"
)

func TestProcessBudgetIsSizedFromTheLimit(t *testing.T) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		t.Skip(err)
	}
	want := New(int(r.Cur)).Stats().Size
	if r.Cur > 1<<30 {
		want = -1
	}
	if got := Process().Stats().Size; got != want {
		t.Errorf("Process() budget %d for RLIMIT_NOFILE %d, want %d", got, r.Cur, want)
	}
}
