package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// diskLog is a log file that only grows, synced once a second so the
// filesystem counts its blocks as used while the run is sampled.
type diskLog struct {
	f      *os.File
	line   []byte
	synced time.Time
}

func openDiskLog(dir, name string) (*diskLog, error) {
	f, err := os.CreateTemp(dir, name+"-*.log")
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	line := []byte(fmt.Sprintf("%s: %0*d\n", name, 1000, 0))
	return &diskLog{f: f, line: line}, nil
}

// write appends about mb megabytes of log lines.
func (l *diskLog) write(mb float64) error {
	for n := int(mb * (1 << 20)); n > 0; n -= len(l.line) {
		if _, err := l.f.Write(l.line); err != nil {
			return fmt.Errorf("write log: %w", err)
		}
	}
	if time.Since(l.synced) >= time.Second {
		l.synced = time.Now()
		if err := l.f.Sync(); err != nil {
			return fmt.Errorf("sync log: %w", err)
		}
	}
	return nil
}

// remove deletes the log, so that a demo leaves the disk as it found it.
func (l *diskLog) remove() {
	l.f.Close()
	os.Remove(filepath.Clean(l.f.Name()))
}
