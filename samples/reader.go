package samples

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// MaxLine is the longest line Read accepts; longer ones are skipped.
const MaxLine = 1 << 20

// ReadStats says what reading a series found besides samples.
type ReadStats struct {
	Lines   int `json:"lines"`
	Samples int `json:"samples"`
	// Corrupt lines are not JSON objects of the right types, or have no
	// timestamp; TooLong ones exceed MaxLine. Both are skipped.
	Corrupt int `json:"corrupt_lines"`
	TooLong int `json:"too_long_lines"`
	// TruncatedLast is set when the last line was cut off, as a SIGKILL of
	// the writer or a full disk leaves it.
	TruncatedLast bool `json:"truncated_last_line"`
}

// Skipped is how many lines were left out.
func (st ReadStats) Skipped() int {
	n := st.Corrupt + st.TooLong
	if st.TruncatedLast {
		n++
	}
	return n
}

// ErrNoSamples is returned for a series without a single usable sample.
var ErrNoSamples = errors.New("no samples")

// ReadFile reads a JSONL series into sink: soakrun's, or one written by
// the old psutil monitor (same field names; no tree figures).
func ReadFile(path string, sink Sink) (ReadStats, error) {
	f, err := os.Open(path)
	if err != nil {
		return ReadStats{}, err
	}
	defer f.Close()
	st, err := Read(f, sink)
	if err != nil {
		return st, fmt.Errorf("%s: %w", path, err)
	}
	return st, nil
}

// Read hands each sample of the JSONL series in r to sink, streaming:
// memory stays bounded whatever the length. Bad lines are counted, not
// fatal. The snapshot sink is given is reused for the next line.
func Read(r io.Reader, sink Sink) (ReadStats, error) {
	var st ReadStats
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	var dec decoder
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long) <= MaxLine {
				long = append(long, chunk...)
			}
			continue
		}
		line := chunk
		if long != nil {
			line = append(long, chunk...)
			long = nil
		}
		if len(line) > 0 {
			complete := line[len(line)-1] == '\n'
			st.Lines++
			switch {
			case len(line) > MaxLine:
				st.TooLong++
			default:
				ok := addLine(sink, &dec, bytes.TrimSpace(line))
				switch {
				case ok:
					st.Samples++
				case !complete && err == io.EOF:
					st.TruncatedLast = true
				case len(bytes.TrimSpace(line)) == 0:
					st.Lines-- // blank lines are not lines of data
				default:
					st.Corrupt++
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return st, err
		}
	}
	if st.Samples == 0 {
		return st, fmt.Errorf("%w in %d line(s) (%d corrupt, %d too long)", ErrNoSamples, st.Lines, st.Corrupt, st.TooLong)
	}
	return st, nil
}

// addLine decodes one line and hands it to sink; false if it is not a
// sample.
func addLine(sink Sink, dec *decoder, line []byte) bool {
	if len(line) == 0 || line[0] != '{' {
		return false
	}
	snap := &dec.snap
	if err := dec.decode(line, snap); err != nil {
		return false
	}
	if snap.TimestampUnix == 0 {
		t, ok := parseTime(snap.TimestampUTC)
		if !ok {
			return false
		}
		snap.TimestampUnix = float64(t.UnixMicro()) / 1e6
	}
	sink.Add(snap)
	return true
}

// parseTime reads RFC 3339, and Python's isoformat() without a zone, which
// the psutil monitor wrote for UTC.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
