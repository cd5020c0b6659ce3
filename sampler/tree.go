package sampler

import (
	"time"

	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/samples"
)

// treeReader sums the members of one tree. It remembers each member's CPU
// time by identity, so the tree's CPU percent is the CPU the live members
// used since the previous sample, not a sum that drops whenever a member
// exits or jumps when a recycled pid appears.
type treeReader struct {
	prevCPU map[proc.Identity]time.Duration
	prevAt  time.Time
	spare   map[proc.Identity]time.Duration // the map before, for reuse
	// cumCPU is the tree's CPU so far, the dead included, where the
	// platform conserves it (see sum); never decreasing.
	cumCPU    time.Duration
	hasCumCPU bool
	// usage is the platform's per-member reader; a field so tests and
	// benchmarks can put another in its place.
	usage usageReader
}

func newTreeReader() *treeReader {
	return &treeReader{usage: newUsageReader()}
}

// sum fills the snapshot's process_* fields and the top-N list from one
// listing of the tree. totalMB is the host's memory, for the percentage.
//
// Where every member tells the CPU of the children it reaped and reaped is
// the CPU of those soakrun reaped, the tree's CPU is conserved: a member's
// CPU moves to its parent's account when it is reaped, so the sum over the
// listing plus reaped only grows, and its growth between two samples is
// the CPU of every member that ran, however briefly it lived. Elsewhere a
// dead member's CPU vanishes from the sum, so the CPU percent is summed
// per live member instead.
func (t *treeReader) sum(s *samples.Snapshot, members []proc.Process, now time.Time, top int, totalMB *float64, reaped *time.Duration) {
	sums := newTreeSums(reaped != nil)
	tops := newTopSet(top)
	dt := now.Sub(t.prevAt)
	cpuNow := t.spare
	if cpuNow == nil {
		cpuNow = make(map[proc.Identity]time.Duration, len(members))
	}
	clear(cpuNow)
	for _, p := range members {
		sums.conserved = sums.conserved && p.HasUsage && p.HasChildrenCPU
		sums.total += p.CPUTime + p.ChildrenCPUTime // a zombie's account stands until it is reaped
		if p.Zombie {
			sums.zombies++
			continue
		}
		u := t.usage.read(p)
		if u.Gone {
			sums.gone++
			continue
		}
		if u.Unread {
			sums.unread++
			if prev, seen := t.prevCPU[p.Identity]; seen {
				cpuNow[p.Identity] = prev // its CPU is not new when it is read again
			}
			continue
		}
		sums.add(u)
		used, known := time.Duration(0), false
		if u.HasCPU {
			cpuNow[p.Identity] = u.CPUTime
			if prev, seen := t.prevCPU[p.Identity]; seen && t.prevCPU != nil {
				used, known = max(0, u.CPUTime-prev), true
			} else if t.prevCPU != nil {
				// Born since the previous sample: all its CPU time is new.
				used, known = u.CPUTime, true
			}
			sums.cpuUsed += used
		}
		if u.HasRSS {
			tops.offer(p, u, used, known, dt)
		}
	}
	sums.write(s, len(members), totalMB)
	t.writeCPU(s, sums, reaped, dt)
	if top > 0 {
		s.Top = tops.list()
	}
	t.usage.sweep()
	t.prevCPU, t.spare, t.prevAt = cpuNow, t.prevCPU, now
}

// treeSums are one listing's figures summed over its members.
type treeSums struct {
	rss                                       uint64
	threads, handles, zombies, gone, unread   int
	ioR, ioW                                  uint64
	hasRSS, hasThreads, hasFDs, hasIO, hasCPU bool
	cpuUsed                                   time.Duration // since the previous sample, by the members read
	total                                     time.Duration // the members' own and reaped children's CPU
	conserved                                 bool          // whether total conserves the tree's CPU
}

func newTreeSums(conserved bool) *treeSums {
	return &treeSums{hasRSS: true, hasThreads: true, hasFDs: true, hasIO: true, hasCPU: true, conserved: conserved}
}

// add counts one member read whole.
func (m *treeSums) add(u usage) {
	m.rss += u.RSSBytes
	m.threads += u.Threads
	m.handles += u.Handles
	m.ioR += u.IOReadBytes
	m.ioW += u.IOWriteBytes
	m.hasRSS = m.hasRSS && u.HasRSS
	m.hasThreads = m.hasThreads && u.HasThreads
	m.hasFDs = m.hasFDs && u.HasHandles
	m.hasIO = m.hasIO && u.HasIO
	m.hasCPU = m.hasCPU && u.HasCPU
}

// write puts the sums of a listing of listed members into s. A sum is
// only as good as its parts: one unreadable member makes the tree's
// figure unknown, not smaller.
func (m *treeSums) write(s *samples.Snapshot, listed int, totalMB *float64) {
	s.ProcessCount = ptr(listed - m.zombies - m.gone - m.unread)
	if m.unread > 0 {
		unread := m.unread
		if s.ProcessUnread != nil {
			unread += *s.ProcessUnread
		}
		s.ProcessUnread = ptr(unread)
	}
	s.ProcessZombies = ptr(m.zombies)
	if m.hasRSS {
		s.ProcessMemoryMB = mb(m.rss)
		if totalMB != nil && *totalMB > 0 {
			s.ProcessMemoryPercent = pct(float64(m.rss) / mib / *totalMB * 100)
		}
	}
	if m.hasThreads {
		s.ProcessThreads = ptr(m.threads)
	}
	if m.hasFDs {
		s.ProcessHandles = ptr(m.handles)
	}
	if m.hasIO {
		s.ProcessIOReadBytes, s.ProcessIOWriteBytes = ptr(m.ioR), ptr(m.ioW)
	}
}

// writeCPU puts the tree's CPU into s: from the conserved account where
// there is one, else summed over the live members.
func (t *treeReader) writeCPU(s *samples.Snapshot, m *treeSums, reaped *time.Duration, dt time.Duration) {
	if m.conserved {
		// A member that died between the listing and soakrun's reaping is
		// briefly in neither: the figure waits for it rather than dipping.
		cum := max(t.cumCPU, m.total+*reaped)
		if t.hasCumCPU && t.prevCPU != nil {
			s.ProcessCPUPercent = percentOf(cum-t.cumCPU, dt)
		}
		t.cumCPU, t.hasCumCPU = cum, true
		s.ProcessCPUSeconds = ptr(roundTo(cum.Seconds(), 1e3))
	} else if m.hasCPU && t.prevCPU != nil {
		s.ProcessCPUPercent = percentOf(m.cpuUsed, dt)
	}
}

// percentOf is CPU time over wall time in psutil's unit: 100 is one core.
func percentOf(used, wall time.Duration) *float64 {
	if wall <= 0 {
		return nil
	}
	return pct(float64(used) / float64(wall) * 100)
}

func secondsDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
