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
	var (
		rss                        uint64
		threads, handles, zombies  int
		gone, unread               int
		ioR, ioW                   uint64
		hasRSS, hasThreads, hasFDs = true, true, true
		hasIO, hasCPU              = true, true
		cpuUsed                    time.Duration
		tops                       = newTopSet(top)
		conserved                  = reaped != nil
		total                      time.Duration
	)
	dt := now.Sub(t.prevAt)
	cpuNow := t.spare
	if cpuNow == nil {
		cpuNow = make(map[proc.Identity]time.Duration, len(members))
	}
	clear(cpuNow)
	for _, p := range members {
		conserved = conserved && p.HasUsage && p.HasChildrenCPU
		total += p.CPUTime + p.ChildrenCPUTime // a zombie's account stands until it is reaped
		if p.Zombie {
			zombies++
			continue
		}
		u := t.usage.read(p)
		if u.Gone {
			gone++
			continue
		}
		if u.Unread {
			unread++
			if prev, seen := t.prevCPU[p.Identity]; seen {
				cpuNow[p.Identity] = prev // its CPU is not new when it is read again
			}
			continue
		}
		rss += u.RSSBytes
		threads += u.Threads
		handles += u.Handles
		ioR += u.IOReadBytes
		ioW += u.IOWriteBytes
		hasRSS = hasRSS && u.HasRSS
		hasThreads = hasThreads && u.HasThreads
		hasFDs = hasFDs && u.HasHandles
		hasIO = hasIO && u.HasIO
		hasCPU = hasCPU && u.HasCPU
		used, known := time.Duration(0), false
		if u.HasCPU {
			cpuNow[p.Identity] = u.CPUTime
			if prev, seen := t.prevCPU[p.Identity]; seen && t.prevCPU != nil {
				used, known = max(0, u.CPUTime-prev), true
			} else if t.prevCPU != nil {
				// Born since the previous sample: all its CPU time is new.
				used, known = u.CPUTime, true
			}
			cpuUsed += used
		}
		if u.HasRSS {
			tops.offer(p, u, used, known, dt)
		}
	}
	live := len(members) - zombies - gone - unread
	s.ProcessCount = ptr(live)
	if unread > 0 {
		if s.ProcessUnread != nil {
			unread += *s.ProcessUnread
		}
		s.ProcessUnread = ptr(unread)
	}
	s.ProcessZombies = ptr(zombies)
	// A sum is only as good as its parts: one unreadable member makes the
	// tree's figure unknown, not smaller.
	if hasRSS {
		s.ProcessMemoryMB = mb(rss)
		if totalMB != nil && *totalMB > 0 {
			s.ProcessMemoryPercent = pct(float64(rss) / mib / *totalMB * 100)
		}
	}
	if hasThreads {
		s.ProcessThreads = ptr(threads)
	}
	if hasFDs {
		s.ProcessHandles = ptr(handles)
	}
	if hasIO {
		s.ProcessIOReadBytes, s.ProcessIOWriteBytes = ptr(ioR), ptr(ioW)
	}
	if conserved {
		// A member that died between the listing and soakrun's reaping is
		// briefly in neither: the figure waits for it rather than dipping.
		cum := max(t.cumCPU, total+*reaped)
		if t.hasCumCPU && t.prevCPU != nil {
			s.ProcessCPUPercent = percentOf(cum-t.cumCPU, dt)
		}
		t.cumCPU, t.hasCumCPU = cum, true
		s.ProcessCPUSeconds = ptr(roundTo(cum.Seconds(), 1e3))
	} else if hasCPU && t.prevCPU != nil {
		s.ProcessCPUPercent = percentOf(cpuUsed, dt)
	}
	if top > 0 {
		s.Top = tops.list()
	}
	t.usage.sweep()
	t.prevCPU, t.spare, t.prevAt = cpuNow, t.prevCPU, now
}

// percentOf is CPU time over wall time in psutil's unit: 100 is one core.
func percentOf(used, wall time.Duration) *float64 {
	if wall <= 0 {
		return nil
	}
	return pct(float64(used) / float64(wall) * 100)
}

func secondsDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
