package samples_test

import (
	"fmt"
	"strings"

	"github.com/soakrun/soakrun/samples"
)

// peak is a sink that keeps the highest tree memory it was handed.
type peak struct{ mb float64 }

func (p *peak) Add(s *samples.Snapshot) {
	if s.ProcessMemoryMB != nil && *s.ProcessMemoryMB > p.mb {
		p.mb = *s.ProcessMemoryMB
	}
}

// Reading a series back: any sink takes the samples, and lines a crash or a
// full disk left behind are counted, not fatal.
func ExampleRead() {
	jsonl := `{"timestamp_unix":1795964400,"sample":"start","process_memory_mb":41.5}
{"timestamp_unix":1795964410,"sample":"interval","process_memory_mb":57.25}
{"timestamp_unix":1795964420,"sample":"interv`
	var p peak
	st, err := samples.Read(strings.NewReader(jsonl), &p)
	fmt.Println(st.Samples, "samples, truncated last line:", st.TruncatedLast, err)
	fmt.Println("peak", p.mb, "MB")
	// Output:
	// 2 samples, truncated last line: true <nil>
	// peak 57.25 MB
}
