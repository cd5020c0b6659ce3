package soak

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// buffer is an io.Writer a run and a test share.
type buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// peak returns a figure's largest value in the samples.
func peak(lines []map[string]any, field string) float64 {
	var m float64
	for _, l := range lines {
		if v, ok := l[field].(float64); ok {
			m = max(m, v)
		}
	}
	return m
}

// analysisOf reads the analysis written beside output.
func analysisOf(t *testing.T, output string) map[string]any {
	t.Helper()
	return testproc.ReadJSON(t, AnalysisPath(output))
}

// listOf is the analysis's list under key as strings, nil when absent.
func listOf(a map[string]any, key string) []string {
	var out []string
	l, _ := a[key].([]any)
	for _, v := range l {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// outputFile is a file for a command's stdout or stderr, read back with
// contents.
func outputFile(t *testing.T) *os.File {
	t.Helper()
	f, err := os.CreateTemp(testproc.TempDir(t), "out")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func contents(t *testing.T, f *os.File) string {
	t.Helper()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkGone fails the test for each member that announced itself in
// stdout ("ready ROLE PID") and is still alive.
func checkGone(t *testing.T, stdout string) {
	t.Helper()
	for line := range strings.Lines(stdout) {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "ready" {
			pid, _ := strconv.Atoi(f[2])
			if p, err := proc.Get(pid); err == nil && !p.Zombie {
				t.Errorf("member %d (%s) outlived the run", pid, p.Name)
			}
		}
	}
}
