package testproc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"
)

// ReadJSONL parses every line of a JSONL file, such as a run's samples; a
// line that does not parse, or a file that ends mid-line, fails the test.
func ReadJSONL(tb testing.TB, path string) []map[string]any {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for i := 1; sc.Scan(); i++ {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			tb.Fatalf("line %d does not parse: %v: %q", i, err, sc.Text())
		}
		out = append(out, m)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		tb.Errorf("file ends mid-line: %q", b[max(0, len(b)-80):])
	}
	return out
}

// ReadJSON parses a JSON file, such as a run's analysis.
func ReadJSON(tb testing.TB, path string) map[string]any {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatalf("%s does not parse: %v", path, err)
	}
	return m
}

// WaitFor waits up to 10 s for cond, or fails the test.
func WaitFor(tb testing.TB, cond func() bool) {
	tb.Helper()
	WaitWithin(tb, 10*time.Second, cond)
}

// WaitWithin waits up to d for cond, or fails the test.
func WaitWithin(tb testing.TB, d time.Duration, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	tb.Fatalf("condition not met within %s", d)
}

// CountLines counts the whole lines in path so far (0 if it cannot be
// read).
func CountLines(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte("\n"))
}
