package samples

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

func TestWriterWritesWholeLines(t *testing.T) {
	path := filepath.Join(testproc.TempDir(t), "s.jsonl")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		w.Write(map[string]int{"i": i})
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n" {
		t.Errorf("file = %q", b)
	}
	if n, d, err := w.Stats(); n != 3 || d != 0 || err != nil {
		t.Errorf("stats %d %d %v", n, d, err)
	}
}

func TestWriterCountsWhatItCannotMarshal(t *testing.T) {
	w, err := Create(filepath.Join(testproc.TempDir(t), "s.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.Write(func() {})
	if n, d, err := w.Stats(); n != 0 || d != 1 || err == nil {
		t.Errorf("stats %d %d %v, want one dropped with an error", n, d, err)
	}
}

func TestCreateNamesTheOutput(t *testing.T) {
	_, err := Create(filepath.Join(testproc.TempDir(t), "missing", "s.jsonl"))
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("error %v does not name the path", err)
	}
}

// parseAll fails the test unless every line of path is a JSON object and
// the file ends with a newline.
func parseAll(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v: %q", n+1, err, sc.Text())
		}
		n++
	}
	return n
}
