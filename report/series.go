package report

import (
	"math"

	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

// maxPoints bounds the points a Series keeps per metric. When it is full,
// neighbouring points are merged in pairs, so a 72-hour run sampled every
// second is kept at 16-second resolution in about 2 MB; the analysis works
// on 60 windows anyway. Minimum, maximum and mean stay exact.
const maxPoints = 1 << 14

// Metric names a column of the series, by its JSONL field.
type Metric string

// The metrics the analysis judges or summarises.
const (
	TreeMemory    Metric = "process_memory_mb"
	HostMemory    Metric = "memory_used_mb"
	Handles       Metric = "process_handles"
	Threads       Metric = "process_threads"
	Processes     Metric = "process_count"
	Zombies       Metric = "process_zombies"
	DiskUsed      Metric = "disk_used_gb"
	HostCPU       Metric = "cpu_percent"
	TreeCPU       Metric = "process_cpu_percent"
	HostMemTotal  Metric = "memory_total_mb"
	HostAvailable Metric = "memory_available_mb"
	// TreePSS is the tree's proportional set size, read every few samples
	// on Linux when no cgroup ran: it sees copy-on-write growth that the
	// RSS sum cannot.
	TreePSS Metric = "process_pss_mb"
	// CgroupMemory is the kernel's charge for the run's cgroup less its
	// reclaimable page cache: the memory the verdict judges when a cgroup
	// ran. CgroupCharge is the whole charge, for the charts.
	CgroupMemory Metric = "cgroup_memory_nocache_mb"
	CgroupCharge Metric = "cgroup_memory_mb"
	// OOMKills counts the tree's members the OOM killer killed.
	OOMKills Metric = "cgroup_oom_kills"
)

// metrics is every column a Series keeps, in report order.
var metrics = []Metric{CgroupMemory, TreeMemory, TreePSS, HostMemory, Handles, Threads, Processes, Zombies, DiskUsed, HostCPU, TreeCPU, HostMemTotal, HostAvailable, CgroupCharge, OOMKills}

// floorMetrics are merged by their minimum, as the analysis summarises
// them by the lower envelope; the rest by their mean.
var floorMetrics = map[Metric]bool{TreeMemory: true, HostMemory: true, TreePSS: true, CgroupMemory: true, CgroupCharge: true}

// Series is what the analysis needs of a run, built one snapshot at a time
// (live, or while reading a file) in bounded memory.
type Series struct {
	cols      map[Metric]*column
	names     map[string]*nameColumns // the top lists' figures by executable name
	byName    map[string]*nameSums    // every name seen, with its latest sums
	listed    []*nameSums             // the names of the latest top list
	topGen    int                     // top lists added
	count     int
	first     float64 // timestamp_unix of the first snapshot
	last      float64
	hasTree   bool // any snapshot had tree figures
	hasCgroup bool // any snapshot had the cgroup's memory less cache
	// incomplete counts snapshots that missed members (process_unread):
	// their sums over members are left out.
	incomplete int
	// written and cgroupWritten are the bytes the tree and its cgroup
	// wrote, nameWritten those of each executable in the top lists, from
	// pidWritten, the previous list's counts: what the disk's growth is
	// compared with (see attribute).
	written, cgroupWritten *counter
	nameWritten            map[string]*counter
	pidWritten             map[int]uint64
}

// column is one metric's points and its exact running statistics.
type column struct {
	floor          bool
	t, v           []float64
	stride         int // snapshots per kept point
	pending        int // snapshots merged into the last point so far
	n              int
	min, max, sum  float64
	first, lastVal float64
}

// NewSeries returns an empty Series.
func NewSeries() *Series {
	s := &Series{cols: map[Metric]*column{}, names: map[string]*nameColumns{}, byName: map[string]*nameSums{},
		written: newCounter(), cgroupWritten: newCounter(), nameWritten: map[string]*counter{}}
	for _, m := range metrics {
		s.cols[m] = &column{floor: floorMetrics[m], stride: 1}
	}
	return s
}

// Add appends one snapshot. Samples taken while the tree was being stopped,
// and the exit sample taken once it was gone, add host figures only: a tree
// being killed is the end of the run, not a drop in its memory. A sample
// that missed members (process_unread) adds the kernel's account of the
// cgroup but none of its sums over members: they describe a smaller tree.
func (s *Series) Add(snap *samples.Snapshot) {
	t := snap.TimestampUnix
	if s.count == 0 {
		s.first = t
	}
	s.count++
	s.last = max(s.last, t)
	add := func(m Metric, v *float64) {
		if v != nil {
			s.cols[m].add(t, *v)
		}
	}
	addInt := func(m Metric, v *int) {
		if v != nil {
			s.cols[m].add(t, float64(*v))
		}
	}
	add(HostMemory, snap.MemoryUsedMB)
	add(DiskUsed, snap.DiskUsedGB)
	add(HostCPU, snap.CPUPercent)
	add(HostMemTotal, snap.MemoryTotalMB)
	add(HostAvailable, snap.MemoryAvailableMB)
	// The OOM killer's count stands in every sample: a kill that ends the
	// command shows first in the exit sample, and soakrun's own stop never
	// adds to it.
	addInt(OOMKills, snap.CgroupOOMKills)
	if snap.Kind == samples.KindStopping || !anyAlive(snap) {
		// The tree being killed, or over: the exit sample, or one taken
		// between the last member's end and the command's reaping (its
		// zeros would read as a fall at the end of the run). Not the
		// workload.
		return
	}
	if snap.CgroupMemoryNoCacheMB != nil {
		s.hasCgroup = true
	}
	add(CgroupMemory, snap.CgroupMemoryNoCacheMB)
	add(CgroupCharge, snap.CgroupMemoryMB)
	s.cgroupWritten.add(t, snap.CgroupIOWriteBytes)
	if snap.ProcessUnread != nil && *snap.ProcessUnread > 0 {
		s.incomplete++
		return
	}
	if snap.ProcessMemoryMB != nil {
		s.hasTree = true
	}
	add(TreeMemory, snap.ProcessMemoryMB)
	add(TreePSS, snap.ProcessPSSMB)
	add(TreeCPU, snap.ProcessCPUPercent)
	addInt(Handles, snap.ProcessHandles)
	addInt(Threads, snap.ProcessThreads)
	addInt(Processes, snap.ProcessCount)
	addInt(Zombies, snap.ProcessZombies)
	s.written.add(t, snap.ProcessIOWriteBytes)
	if len(snap.Top) > 0 {
		s.addTop(t, snap.Top)
		s.addTopWrites(t, snap.Top)
	}
}

// Len is the number of snapshots added.
func (s *Series) Len() int { return s.count }

// Incomplete is the number of snapshots added that missed members for want
// of file descriptors (process_unread), whose sums over members were left
// out.
func (s *Series) Incomplete() int { return s.incomplete }

func (c *column) add(t, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	if c.n == 0 {
		c.min, c.max, c.first = v, v, v
	}
	c.n++
	c.min, c.max, c.sum, c.lastVal = min(c.min, v), max(c.max, v), c.sum+v, v
	if c.pending > 0 && c.pending < c.stride {
		i := len(c.v) - 1
		c.v[i] = c.merge(c.v[i], c.pending, v)
		c.pending++
		return
	}
	if len(c.v) == maxPoints {
		c.halve()
	}
	c.t, c.v = append(c.t, t), append(c.v, v)
	c.pending = 1
}

// merge folds v into a point that already holds k snapshots.
func (c *column) merge(have float64, k int, v float64) float64 {
	if c.floor {
		return min(have, v)
	}
	return (have*float64(k) + v) / float64(k+1)
}

// halve merges neighbouring points in pairs and doubles the stride.
func (c *column) halve() {
	n := len(c.v) / 2
	for i := range n {
		a, b := c.v[2*i], c.v[2*i+1]
		if c.floor {
			c.v[i] = min(a, b)
		} else {
			c.v[i] = (a + b) / 2
		}
		c.t[i] = c.t[2*i]
	}
	c.t, c.v = c.t[:n], c.v[:n]
	c.stride *= 2
	c.pending = c.stride // the last point is full
}

// Trend judges one metric of the series as it stands, for a live view.
func (s *Series) Trend(m Metric, o Options) (trend.Result, bool) {
	c, ok := s.cols[m]
	if !ok || c.n == 0 {
		return trend.Result{}, false
	}
	return judge(c, m, o).Result, true
}

// anyAlive reports whether snap saw a live member of the tree: not when it
// saw none, or only zombies, or members whose memory reads nothing at all
// (a Windows process that has exited but whose handle is still open).
func anyAlive(snap *samples.Snapshot) bool {
	n := snap.ProcessCount
	switch {
	case n == nil:
		return true // no tree sampled (the psutil monitor's file, a monitor without --pid)
	case *n == 0:
		return false
	case snap.ProcessZombies != nil && *snap.ProcessZombies >= *n:
		return false
	}
	return snap.ProcessMemoryMB == nil || *snap.ProcessMemoryMB > 0
}
