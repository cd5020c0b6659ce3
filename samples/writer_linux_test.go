package samples

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const envFSizeChild = "SOAKRUN_TEST_FSIZE_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(envFSizeChild); path != "" {
		os.Exit(writeUnderFileSizeLimit(path))
	}
	os.Exit(m.Run())
}

// writeUnderFileSizeLimit writes 20 lines of 100 bytes into a file that may
// not grow past 1050 bytes, so the eleventh write is cut short in the middle
// of its line, and prints what the writer counted.
func writeUnderFileSizeLimit(path string) int {
	signal.Ignore(syscall.SIGXFSZ) // a short write then fails with EFBIG
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 1050, Max: 1050}); err != nil {
		fmt.Println(err)
		return 1
	}
	w, err := Create(path)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	pad := strings.Repeat("x", 100-len(`{"i":00,"pad":""}`+"\n"))
	for i := range 20 {
		w.Write(map[string]any{"i": 10 + i, "pad": pad})
	}
	w.Close()
	n, d, err := w.Stats()
	fmt.Printf("%d %d %v\n", n, d, err)
	return 0
}

func TestShortWriteIsUndone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envFSizeChild+"="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v: %s", err, out)
	}
	var written, dropped int
	fmt.Sscan(string(out), &written, &dropped)
	if written != 10 || dropped != 10 || !strings.Contains(string(out), "file too large") {
		t.Errorf("child reported %q, want 10 written, 10 dropped, EFBIG", out)
	}
	if n := parseAll(t, path); n != written {
		t.Errorf("file has %d whole lines, writer says %d", n, written)
	}
	if fi, _ := os.Stat(path); fi.Size() != 1000 {
		t.Errorf("file is %d bytes, want the 1000 of ten whole lines", fi.Size())
	}
}
