package samples

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// Writer streams one JSON object per line to a file. Each line goes to the
// kernel in one write as soon as it is made, with no buffer in soakrun, so a
// SIGKILL of soakrun loses nothing already written. A failed write (a full
// disk) is undone back to the last whole line and counted; it never stops
// the run, and later lines are tried again.
type Writer struct {
	mu      sync.Mutex
	f       *os.File
	path    string
	good    int64 // offset just past the last whole line
	written int
	dropped int
	err     error // the first write error
}

// Create opens path for the series, truncating it. It is called before the
// command starts, so an unwritable output stops soakrun before anything is
// launched.
func Create(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot write output %s: %w", path, err)
	}
	return &Writer{f: f, path: path}, nil
}

// Add appends s as one line. It is the Sink method: a line that cannot be
// written is counted in Stats, and the stream goes on.
func (w *Writer) Add(s *Snapshot) { _ = w.Write(s) }

// Write appends v as one line, or undoes it and says why not. The failure
// is also counted in Stats.
func (w *Writer) Write(v any) error {
	line, err := json.Marshal(v)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		line = append(line, '\n')
		var n int
		n, err = w.f.Write(line)
		if err == nil {
			w.good += int64(n)
			w.written++
			return nil
		}
		if n > 0 {
			// Half a line would corrupt the next one too: cut it off.
			if terr := w.f.Truncate(w.good); terr == nil {
				_, _ = w.f.Seek(w.good, io.SeekStart)
			}
		}
	}
	w.dropped++
	err = fmt.Errorf("write %s: %w", w.path, err)
	if w.err == nil {
		w.err = err
	}
	return err
}

// Stats says how many lines were written and dropped, and the first error.
func (w *Writer) Stats() (written, dropped int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.written, w.dropped, w.err
}

// Close closes the file. Data already went to the kernel line by line;
// for a regular file Close adds an fsync so it also survives a crash of the
// machine (devices and pipes cannot be synced, and need not be).
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var syncErr error
	if fi, err := w.f.Stat(); err == nil && fi.Mode().IsRegular() {
		syncErr = w.f.Sync()
	}
	if err := errors.Join(syncErr, w.f.Close()); err != nil {
		return fmt.Errorf("close %s: %w", w.path, err)
	}
	return nil
}
