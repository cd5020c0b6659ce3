package soak

import (
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/samples"
)

func TestProgressLines(t *testing.T) {
	mem, cpu, n := 42.5, 12.0, 3
	snap := &samples.Snapshot{Kind: samples.KindInterval, ProcessMemoryMB: &mem, ProcessCPUPercent: &cpu, ProcessCount: &n}
	for _, tty := range []bool{false, true} {
		var got strings.Builder
		p := newProgress(time.Hour, func(s string) { got.WriteString(s) }, tty)
		p.every = 50 * time.Millisecond
		p.Add(snap)
		p.setSlope(12.34)
		p.Add(snap) // too soon: nothing
		time.Sleep(60 * time.Millisecond)
		p.Add(snap)
		p.Add(&samples.Snapshot{Kind: samples.KindExit})
		p.Close()
		out := got.String()
		if strings.Count(out, "tree 42.5 MB · cpu 12% · 3 procs") != 2 || !strings.Contains(out, "/1h0m0s") || !strings.Contains(out, "trend +12.3 MB/h") {
			t.Errorf("tty=%v: %q", tty, out)
		}
		if tty && (strings.Contains(out, "\n") || !strings.HasSuffix(out, "\r\033[K")) {
			t.Errorf("tty: want redraws in place and a cleared line at the end: %q", out)
		}
		if !tty && (strings.Count(out, "\n") != 2 || strings.Contains(out, "\r")) {
			t.Errorf("plain: want two whole lines: %q", out)
		}
	}
}
