package testproc

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// EnvCtrlTarget names a built testdata/windows/ctrltarget.c; .ci/wine.sh
// builds it with mingw and sets it.
const EnvCtrlTarget = "SOAKRUN_CTRL_TARGET"

// CtrlTarget is the path of ctrltarget.exe, a C console program that
// records the console control event it gets (testdata/windows/ctrltarget.c):
// the one in EnvCtrlTarget, or one built now with a mingw gcc from PATH.
// Without either the test is skipped. Go's runtime cannot stand in for it:
// it reports CTRL_C and CTRL_BREAK alike, as os.Interrupt.
func CtrlTarget(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv(EnvCtrlTarget); p != "" {
		return p
	}
	_, self, _, _ := runtime.Caller(0)
	src := filepath.Join(filepath.Dir(self), "..", "..", "testdata", "windows", "ctrltarget.c")
	for _, cc := range []string{"x86_64-w64-mingw32-gcc", "gcc"} {
		if path, err := exec.LookPath(cc); err == nil {
			exe := filepath.Join(TempDir(tb), "ctrltarget.exe")
			if out, err := exec.Command(path, "-O2", "-o", exe, src).CombinedOutput(); err != nil {
				tb.Fatalf("build ctrltarget: %v\n%s", err, out)
			}
			return exe
		}
	}
	tb.Skipf("no ctrltarget.exe: set %s or put a mingw gcc in PATH", EnvCtrlTarget)
	return ""
}

// CheckCtrlRecorded checks that each ctrltarget named in names wrote want
// to its marker in dir (line ends as "\n"): the events it got, and
// "cleanup done" if it cleaned up.
func CheckCtrlRecorded(tb testing.TB, dir, want string, names ...string) {
	tb.Helper()
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name+".txt"))
		if got := strings.ReplaceAll(string(b), "\r\n", "\n"); err != nil || got != want {
			tb.Errorf("%s recorded %q (%v), want %q", name, got, err, want)
		}
	}
}
