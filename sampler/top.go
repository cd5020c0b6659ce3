package sampler

import (
	"slices"
	"time"

	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/samples"
)

// topSet picks the members a snapshot lists under --top: the n largest by
// memory, as always, then any member among the n largest by open handles,
// by threads or by CPU that is not listed yet. A member that leaks fds or
// threads, or spins, while staying small is listed too, so the report can
// name it; for most trees the lists overlap and add nothing.
type topSet struct {
	byRSS, byHandles, byThreads, byCPU topN
}

func newTopSet(n int) topSet {
	return topSet{byRSS: topN{n: n}, byHandles: topN{n: n}, byThreads: topN{n: n}, byCPU: topN{n: n}}
}

// offer considers one live member with a known RSS. used is its CPU time
// since the previous sample, known whether that is known; dt the time
// since the previous sample.
func (t *topSet) offer(p proc.Process, u usage, used time.Duration, known bool, dt time.Duration) {
	handles, threads := uint64(max(u.Handles, 0)), uint64(max(u.Threads, 0))
	wantRSS := t.byRSS.wants(u.RSSBytes)
	wantHandles := u.HasHandles && t.byHandles.wants(handles)
	wantThreads := u.HasThreads && t.byThreads.wants(threads)
	wantCPU := known && t.byCPU.wants(uint64(used))
	if !wantRSS && !wantHandles && !wantThreads && !wantCPU {
		return
	}
	m := samples.Member{PID: p.PID, Name: p.Name, RSSMB: *mb(u.RSSBytes)}
	if known {
		m.CPUPercent = percentOf(used, dt)
	}
	if u.HasThreads {
		m.Threads = ptr(u.Threads)
	}
	if u.HasHandles {
		m.Handles = ptr(u.Handles)
	}
	if u.HasIO {
		m.IOWriteBytes = ptr(u.IOWriteBytes)
	}
	if wantRSS {
		t.byRSS.add(m, u.RSSBytes)
	}
	if wantHandles {
		t.byHandles.add(m, handles)
	}
	if wantThreads {
		t.byThreads.add(m, threads)
	}
	if wantCPU {
		t.byCPU.add(m, uint64(used))
	}
}

// list is the largest by memory first, then the others' members not
// already listed, each list in its own order.
func (t *topSet) list() []samples.Member {
	out := slices.Clip(t.byRSS.members)
	if out == nil {
		out = []samples.Member{}
	}
	for _, other := range []*topN{&t.byHandles, &t.byThreads, &t.byCPU} {
		for _, m := range other.members {
			if !slices.ContainsFunc(out, func(o samples.Member) bool { return o.PID == m.PID }) {
				out = append(out, m)
			}
		}
	}
	return out
}

// topN keeps the n largest members by one key, largest first; of equals,
// the one listed first.
type topN struct {
	n       int
	members []samples.Member
	keys    []uint64
}

func (t *topN) wants(key uint64) bool {
	return t.n > 0 && (len(t.members) < t.n || key > t.keys[len(t.keys)-1])
}

func (t *topN) add(m samples.Member, key uint64) {
	i := len(t.keys)
	for i > 0 && t.keys[i-1] < key {
		i--
	}
	t.members = slices.Insert(t.members, i, m)
	t.keys = slices.Insert(t.keys, i, key)
	if len(t.members) > t.n {
		t.members, t.keys = t.members[:t.n], t.keys[:t.n]
	}
}
