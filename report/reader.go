package report

import (
	"io"

	"github.com/soakrun/soakrun/samples"
)

// ReadFile reads a JSONL series into memory for the analysis (see
// samples.Read for what it accepts and counts).
func ReadFile(path string) (*Series, samples.ReadStats, error) {
	s := NewSeries()
	st, err := samples.ReadFile(path, s)
	if err != nil {
		return nil, st, err
	}
	return s, st, nil
}

// Read reads a JSONL series from r into memory for the analysis.
func Read(r io.Reader) (*Series, samples.ReadStats, error) {
	s := NewSeries()
	st, err := samples.Read(r, s)
	if err != nil {
		return nil, st, err
	}
	return s, st, nil
}
