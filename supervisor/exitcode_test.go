package supervisor

import (
	"syscall"
	"testing"
)

func TestExitCodePrecedence(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Result
		leak bool
		want int
	}{
		{"success", Result{}, false, 0},
		{"leak", Result{}, true, 3},
		{"failure beats leak", Result{ExitStatus: 2}, true, 2},
		{"signal beats leak", Result{ExitStatus: -1, Signal: syscall.SIGKILL}, true, 137},
		{"timeout beats leak", Result{TimedOut: true, ExitStatus: -1, Signal: syscall.SIGTERM}, true, ExitTimeout},
		{"own 124 is not a timeout", Result{ExitStatus: 124}, false, 124},
		{"interrupted never succeeds", Result{Interrupted: syscall.SIGINT}, true, 130},
		{"interrupted keeps a failure", Result{Interrupted: syscall.SIGTERM, ExitStatus: 5}, false, 5},
		{"abort beats the status it caused", Result{Aborted: &Abort{ExitCode: 5}, ExitStatus: -1, Signal: syscall.SIGTERM}, false, 5},
		{"abort for a leak", Result{Aborted: &Abort{ExitCode: 3}, ExitStatus: 1}, true, 3},
	} {
		if got := WithLeak(tc.r.ExitCode(false), tc.leak, 3); got != tc.want {
			t.Errorf("%s: exit code %d, want %d", tc.name, got, tc.want)
		}
	}
	aborted := Result{Aborted: &Abort{ExitCode: 5}, ExitStatus: 143}
	if got := aborted.ExitCode(true); got != 143 {
		t.Errorf("--preserve-status after an abort: %d, want the command's 143", got)
	}
	if got := WithLeak(0, true, 0); got != 0 {
		t.Errorf("--leak-exit-code 0 is advisory, got %d", got)
	}
}
