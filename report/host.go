package report

import (
	"fmt"
	"strings"

	"github.com/soakrun/soakrun/report/internal/words"
	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

// Host-wide figures move with whatever else runs on the host: on a shared
// CI runner another job's download fills the disk and its build takes the
// memory. Beside a known tree, a rise in one is the tree's only when the
// tree's own part accounts for it: the bytes it wrote against the disk's
// growth, its memory's rise against the host's. A rise it did not cause is
// a host finding, which fails the run only when asked (Options.JudgeHost).

// The tree's cumulative write counters: not judged, but what the disk's
// growth is compared with.
const (
	// TreeWritten is the bytes the tree's live members have written to
	// storage (the sum of their write_bytes).
	TreeWritten Metric = "process_io_write_bytes"
	// CgroupWritten is the bytes the run's cgroup wrote to block devices,
	// the dead members' included.
	CgroupWritten Metric = "cgroup_io_write_bytes"
)

// hostMetrics are the host-wide figures the verdict judges.
var hostMetrics = map[Metric]bool{DiskUsed: true, HostMemory: true}

// TreePart is the tree's own part of a host-wide figure's rise, over the
// stretch the figure's verdict holds for.
type TreePart struct {
	// Source is the tree's figure it comes from: process_io_write_bytes or
	// cgroup_io_write_bytes for the disk (the larger of the two where both
	// were read), cgroup_memory_mb or process_memory_mb for host memory;
	// "" when the tree's figure was not read, and the rise then is not the
	// tree's.
	Source Metric `json:"source"`
	// PerHour is the part per hour in the host figure's unit: GB written
	// per hour, or MB the tree's memory rose per hour. Writes are an upper
	// bound of a part of the disk: what the tree deletes, or writes to
	// another filesystem, counts too.
	PerHour float64 `json:"per_hour"`
	// Writer is the executable whose members wrote most over the stretch,
	// from the --top lists; "" when none listed wrote.
	Writer string `json:"writer,omitempty"`
	// Accounts says the tree's part is at least half the figure's rise: the
	// rise is the tree's.
	Accounts bool `json:"accounts"`
}

// counter follows a cumulative count that may fall, as a sum over live
// members does when one exits: only its increases are added, so what was
// written stays written. col holds the running total.
type counter struct {
	col       column
	last, sum float64
	seen      bool
}

func newCounter() *counter { return &counter{col: column{stride: 1}} }

// add records the count v read at t.
func (c *counter) add(t float64, v *uint64) {
	if v == nil {
		return
	}
	x := float64(*v)
	if c.seen && x > c.last {
		c.sum += x - c.last
	}
	c.last, c.seen = x, true
	c.col.add(t, c.sum)
}

// grow adds d to the total at t.
func (c *counter) grow(t, d float64) {
	c.sum += max(d, 0)
	c.col.add(t, c.sum)
}

// between is how much the total grew from from to to.
func (c *counter) between(from, to float64) float64 {
	return c.at(to) - c.at(from)
}

// at is the total at t: that of the last point at or before t, or the
// first point's when t is earlier.
func (c *counter) at(t float64) float64 {
	v := c.col.v
	if len(v) == 0 {
		return 0
	}
	i := 0
	for i+1 < len(v) && c.col.t[i+1] <= t {
		i++
	}
	return v[i]
}

// attribute compares the rise of the host-wide figure m, whose verdict v
// is a leak, with the tree's own part over the same stretch, and marks v a
// host finding when the tree does not account for it.
func (s *Series) attribute(m Metric, v *MetricVerdict) {
	part := &TreePart{}
	span := (v.To - v.From) / 3600
	switch m {
	case DiskUsed:
		for _, w := range []struct {
			m Metric
			c *counter
		}{{TreeWritten, s.written}, {CgroupWritten, s.cgroupWritten}} {
			if w.c.col.n == 0 || span <= 0 {
				continue
			}
			if r := w.c.between(v.From, v.To) / (1 << 30) / span; part.Source == "" || r > part.PerHour {
				part.Source, part.PerHour = w.m, r
			}
		}
		part.Writer = s.topWriter(v.From, v.To)
	case HostMemory:
		src := TreeMemory
		if s.hasCgroup {
			src = CgroupCharge
		}
		if c := s.cols[src]; c.n > 0 {
			part.Source, part.PerHour = src, riseRate(c, v.From, v.To)
		}
	}
	part.Accounts = part.Source != "" && part.PerHour >= v.SlopePerHour/2
	v.Tree, v.HostFinding = part, !part.Accounts
	v.Reason += "; " + part.words(m, v.Unit)
}

// words says what the tree's part was and whose the rise is.
func (p *TreePart) words(m Metric, unit string) string {
	var b strings.Builder
	switch {
	case p.Source == "" && m == DiskUsed:
		b.WriteString("the tree's writes were not read")
	case p.Source == "":
		b.WriteString("the tree's memory was not read")
	case m == DiskUsed:
		fmt.Fprintf(&b, "the tree wrote %s %s/h (%s)", words.Number(p.PerHour), unit, p.Source)
		if p.Writer != "" {
			fmt.Fprintf(&b, ", most of it %s", p.Writer)
		}
	default:
		fmt.Fprintf(&b, "the tree's memory rose %s %s/h (%s)", words.Number(p.PerHour), unit, p.Source)
	}
	if p.Accounts {
		b.WriteString(": the tree's")
	} else {
		b.WriteString(": not the tree's")
	}
	return b.String()
}

// riseRate is the Theil–Sen slope per hour of c's floors between from and
// to, as the verdict would measure it there.
func riseRate(c *column, from, to float64) float64 {
	var pts []trend.Point
	for i, t := range c.t {
		if t >= from && t <= to {
			pts = append(pts, trend.Point{T: t, V: c.v[i]})
		}
	}
	sum := trend.Summarize(pts, trend.Options{Warmup: 0, MinPoints: 2, MinSpan: 1e-9, Envelope: c.floor})
	if len(sum.X) < 2 {
		return 0
	}
	slope, _ := trend.TheilSen(sum.X, sum.Y)
	return slope
}

// topWriter is the executable whose listed members wrote most between
// from and to, "" when none wrote.
func (s *Series) topWriter(from, to float64) string {
	best, most := "", 0.0
	for name, c := range s.nameWritten {
		if w := c.between(from, to); w > most || w == most && w > 0 && name < best {
			best, most = name, w
		}
	}
	return best
}

// addTopWrites adds the bytes each listed member wrote since the previous
// list, by executable name. A member first listed, or listed again after
// an absence, starts from what it has written then: its earlier writes are
// not seen.
func (s *Series) addTopWrites(t float64, top []samples.Member) {
	seen := make(map[int]uint64, len(top))
	grew := map[string]float64{}
	for i := range top {
		m := &top[i]
		if m.IOWriteBytes == nil {
			continue
		}
		w := *m.IOWriteBytes
		seen[m.PID] = w
		if prev, ok := s.pidWritten[m.PID]; ok && w > prev {
			grew[m.Name] += float64(w - prev)
		} else {
			grew[m.Name] += 0 // listed: its total is followed from here
		}
	}
	s.pidWritten = seen
	for name, d := range grew {
		c := s.nameWritten[name]
		if c == nil {
			if len(s.nameWritten) >= maxNames {
				continue
			}
			c = newCounter()
			s.nameWritten[strings.Clone(name)] = c
		}
		c.grow(t, d)
	}
}
