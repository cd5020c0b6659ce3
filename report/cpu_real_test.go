package report

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

// Steady services measured for 20 minutes and an hour on a shared host
// (see testdata/cpu/README.md) never degrade, read forwards or backwards: a
// level that wandered down and back is, reversed, one that wandered up.
func TestAnalyzeRealSteadyCPU(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "cpu", "*.jsonl"))
	if err != nil || len(files) != 4 {
		t.Fatalf("testdata/cpu: %v, %d files", err, len(files))
	}
	o := Options{Warmup: -1}
	for _, path := range files {
		snaps := readSnapshots(t, path)
		forward, backward := NewSeries(), NewSeries()
		for _, s := range snaps {
			forward.Add(s)
		}
		end := snaps[0].TimestampUnix + snaps[len(snaps)-1].TimestampUnix
		for _, s := range slices.Backward(snaps) {
			r := *s
			r.TimestampUnix = end - s.TimestampUnix
			backward.Add(&r)
		}
		for name, s := range map[string]*Series{"forwards": forward, "backwards": backward} {
			a := Analyze(s, o)
			v, ok := a.Metrics[TreeCPU]
			if !ok || v.Verdict == trend.Insufficient || a.DegradationDetected {
				t.Errorf("%s %s: %s (%s)", filepath.Base(path), name, v.Verdict, v.Reason)
			}
		}
	}
}

func readSnapshots(t *testing.T, path string) []*samples.Snapshot {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*samples.Snapshot
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var s samples.Snapshot
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, &s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
