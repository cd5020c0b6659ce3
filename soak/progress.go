package soak

import (
	"fmt"
	"strings"
	"time"

	"github.com/soakrun/soakrun/samples"
)

// progress tells a person how the run is going, on stderr. On a terminal it
// is one status line redrawn in place at most once a second, ending in a
// carriage return, so the command's next output starts at the left margin
// and overwrites it rather than being split by it. In a CI log it is a
// plain line about once a minute, written in one write(2).
type progress struct {
	tty      bool
	every    time.Duration // between lines (plain) or redraws (tty)
	start    time.Time
	timeout  time.Duration
	last     time.Time
	slope    string
	drawn    bool
	writeOut func(string)
}

// newProgress writes with write, redrawn in place on a terminal (tty).
func newProgress(timeout time.Duration, write func(string), tty bool) *progress {
	p := &progress{start: time.Now(), timeout: timeout, every: time.Minute, writeOut: write}
	if tty {
		p.tty, p.every = true, time.Second
	}
	return p
}

// Add is the Sink method, called with each snapshot on the sampling
// goroutine.
func (p *progress) Add(s *samples.Snapshot) {
	now := time.Now()
	if s.Kind == samples.KindExit || now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	line := p.status(s, now)
	if p.tty {
		p.writeOut("\r\033[K" + line + "\r")
		p.drawn = true
		return
	}
	p.writeOut("soakrun: " + line + "\n")
}

// setSlope shows the tree memory's current trend from now on.
func (p *progress) setSlope(mbPerHour float64) { p.slope = fmt.Sprintf("trend %+.1f MB/h", mbPerHour) }

// Close clears the status line before the summary is printed.
func (p *progress) Close() error {
	if p.tty && p.drawn {
		p.writeOut("\r\033[K")
	}
	return nil
}

func (p *progress) status(s *samples.Snapshot, now time.Time) string {
	elapsed := now.Sub(p.start).Round(time.Second)
	parts := []string{elapsed.String()}
	if p.timeout > 0 {
		parts[0] += "/" + p.timeout.String()
	}
	switch {
	case s.CgroupMemoryNoCacheMB != nil: // what the verdict judges, every sample
		parts = append(parts, fmt.Sprintf("tree %.1f MB", *s.CgroupMemoryNoCacheMB))
	case s.ProcessMemoryMB != nil:
		parts = append(parts, fmt.Sprintf("tree %.1f MB", *s.ProcessMemoryMB))
	}
	if s.ProcessCPUPercent != nil {
		parts = append(parts, fmt.Sprintf("cpu %.0f%%", *s.ProcessCPUPercent))
	}
	if s.ProcessCount != nil {
		parts = append(parts, fmt.Sprintf("%d procs", *s.ProcessCount))
	}
	if p.slope != "" {
		parts = append(parts, p.slope)
	}
	return strings.Join(parts, " · ")
}
