package report

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/samples"
)

func TestReadSkipsAndCountsBadLines(t *testing.T) {
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, `{"timestamp_unix":%d,"memory_used_mb":%d}`+"\n", 1000+i, 500+i)
	}
	b.WriteString("not json\n")
	b.WriteString(`{"timestamp_unix":1,"memory_used_mb":"a lot"}` + "\n")
	b.WriteString(`{"memory_used_mb":5}` + "\n") // no timestamp
	b.WriteString("\n\n")
	b.WriteString("\x00\x01\x02binary\xff\n")
	b.WriteString(`{"timestamp_unix":` + strings.Repeat("1", samples.MaxLine+10) + "}\n")
	b.WriteString(`{"timestamp_unix":2000,"memory_u`) // cut off by a SIGKILL
	s, st, err := Read(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	want := samples.ReadStats{Lines: 26, Samples: 20, Corrupt: 4, TooLong: 1, TruncatedLast: true}
	if st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	if s.Len() != 20 || s.cols[HostMemory].max != 519 {
		t.Errorf("%d samples, max %v", s.Len(), s.cols[HostMemory].max)
	}
}

func TestReadOldMonitorFile(t *testing.T) {
	// The old psutil monitor: host figures only, isoformat() timestamps
	// without a zone, no timestamp_unix.
	var b strings.Builder
	for i := range 5 {
		fmt.Fprintf(&b, `{"timestamp_utc": "2025-03-01T10:%02d:00.123456", "cpu_percent": 12.5, "memory_used_mb": %d, "disk_used_gb": 40.5}`+"\n", i, 1000+i)
	}
	s, st, err := Read(strings.NewReader(b.String()))
	if err != nil || st.Samples != 5 {
		t.Fatalf("%v, %+v", err, st)
	}
	if s.hasTree {
		t.Error("a host-only file read as having tree figures")
	}
	if got := s.last - s.first; got != 240 {
		t.Errorf("span %v s, want 240", got)
	}
}

func TestReadEmptyAndMissing(t *testing.T) {
	dir := testproc.TempDir(t)
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	if _, _, err := ReadFile(empty); !errors.Is(err, samples.ErrNoSamples) {
		t.Errorf("empty file: %v, want ErrNoSamples", err)
	}
	if _, _, err := ReadFile(filepath.Join(dir, "missing.jsonl")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzRead feeds Read anything: it must not panic, and whatever it
// accepts must analyse into JSON.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"timestamp_unix":1,"process_memory_mb":3}` + "\n" + `{"timestamp_unix":2,"process_memory_mb":4,"top":[{"name":"x","rss_mb":4}]}`))
	f.Add([]byte("\xff\xfe{\n}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, st, err := Read(strings.NewReader(string(b)))
		if err != nil {
			return
		}
		if st.Samples == 0 || st.Samples+st.Skipped() > st.Lines {
			t.Fatalf("stats %+v", st)
		}
		a := Analyze(s, Options{Warmup: -1})
		if _, err := a.JSON(); err != nil {
			t.Fatalf("analysis does not encode: %v", err)
		}
	})
}

func TestSeriesKeepsExactStatisticsWhenCompacting(t *testing.T) {
	c := &column{floor: true, stride: 1}
	n := 5*maxPoints + 3
	sum := 0.0
	for i := range n {
		v := 100 + 10*math.Sin(float64(i)/7)
		c.add(float64(i), v)
		sum += v
	}
	if len(c.v) > maxPoints {
		t.Errorf("%d points kept, bound %d", len(c.v), maxPoints)
	}
	if c.n != n || math.Abs(c.mean()-sum/float64(n)) > 1e-9 || c.min < 90-1e-9 || c.max > 110+1e-9 {
		t.Errorf("n %d mean %v min %v max %v", c.n, c.mean(), c.min, c.max)
	}
	// A floor column keeps minima: no kept point is above the series' max,
	// and the lowest kept point is the series' minimum.
	lowest := math.Inf(1)
	for _, v := range c.v {
		lowest = min(lowest, v)
	}
	if lowest != c.min {
		t.Errorf("lowest kept point %v, minimum %v", lowest, c.min)
	}
	for i := 1; i < len(c.t); i++ {
		if c.t[i] <= c.t[i-1] {
			t.Fatalf("times out of order at %d", i)
		}
	}
}
