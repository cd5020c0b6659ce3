package evidence

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Kind is a kind of memory a process maps.
type Kind string

// The kinds of a process's memory, as its mappings name them.
const (
	Heap   Kind = "heap"   // [heap]: brk, where C's malloc puts small objects
	Anon   Kind = "anon"   // anonymous mappings: mmap'd arenas, Go's, Java's and Python's heaps, large mallocs
	Shared Kind = "shared" // shared memory: /dev/shm files, memfds, SysV segments
	File   Kind = "file"   // file-backed mappings: executables, libraries, mapped data files
	Stack  Kind = "stack"  // [stack], the main thread's
	Other  Kind = "other"  // [vdso], [vvar] and the like

	// On Windows, which keeps no such account per mapping: the private
	// bytes (memory committed for this process alone: its heaps), and
	// what its working set holds besides (shared and file-backed pages).
	Private      Kind = "private"
	SharedInWork Kind = "working_set_shared"
)

// kinds is every Kind, in the order breakdowns list them.
var kinds = []Kind{Anon, Heap, Shared, File, Stack, Other, Private, SharedInWork}

// Words names a kind for people.
func (k Kind) Words() string {
	switch k {
	case Heap:
		return "[heap]"
	case Anon:
		return "anonymous mappings"
	case Shared:
		return "shared memory"
	case File:
		return "file-backed mappings"
	case Stack:
		return "stack"
	case Private:
		return "private bytes"
	case SharedInWork:
		return "shared working set"
	}
	return "other mappings"
}

// Process is where one process's resident memory is, by kind of mapping.
type Process struct {
	PID   int    `json:"pid"`
	Start uint64 `json:"start"` // with PID, the process's identity
	Name  string `json:"name"`
	// Bytes is the resident memory of each kind; the kinds sum to the
	// process's resident set.
	Bytes map[Kind]uint64 `json:"bytes"`
	// Largest are its largest mappings by resident memory.
	Largest []Mapping `json:"largest,omitempty"`
}

// Mapping is one mapping, or the mappings of one file, of a process.
type Mapping struct {
	Name     string `json:"name"` // the path, or [heap], [stack], "" for anonymous
	Kind     Kind   `json:"kind"`
	RSSBytes uint64 `json:"rss_bytes"`
}

// Total is the process's resident memory.
func (p Process) Total() uint64 {
	var n uint64
	for _, b := range p.Bytes {
		n += b
	}
	return n
}

// Cgroup is where the cgroup's memory is, from its memory.stat.
type Cgroup struct {
	Bytes map[string]uint64 `json:"bytes"` // anon, file, shmem, kernel_stack, pagetables, slab, sock
}

// Breakdown is where the tree's memory was at one moment.
type Breakdown struct {
	At        float64   `json:"timestamp_unix"`
	Processes []Process `json:"processes"`
	Cgroup    *Cgroup   `json:"cgroup,omitempty"`
}

// Growth is how one process's memory grew between two breakdowns, by kind.
type Growth struct {
	PID   int              `json:"pid"`
	Name  string           `json:"name"`
	Bytes map[Kind]float64 `json:"bytes"` // the change of each kind, negative where it shrank
}

// Total is the change of the whole resident set.
func (g Growth) Total() float64 {
	var n float64
	for _, b := range g.Bytes {
		n += b
	}
	return n
}

// Grew compares two breakdowns of the same process: the change of each
// kind from was to now.
func Grew(was, now Process) Growth {
	g := Growth{PID: now.PID, Name: now.Name, Bytes: map[Kind]float64{}}
	for _, k := range kinds {
		if d := float64(now.Bytes[k]) - float64(was.Bytes[k]); d != 0 {
			g.Bytes[k] = d
		}
	}
	return g
}

// String says what grew, the largest first, leaving out changes under a
// megabyte: "python3 (pid 812): anonymous mappings +468 MB, [heap] +12 MB".
func (g Growth) String() string {
	type part struct {
		k Kind
		d float64
	}
	var parts []part
	for k, d := range g.Bytes {
		if d >= 1<<20 || d <= -(1<<20) {
			parts = append(parts, part{k, d})
		}
	}
	slices.SortFunc(parts, func(a, b part) int { return cmp.Or(cmp.Compare(b.d, a.d), strings.Compare(string(a.k), string(b.k))) })
	words := make([]string, len(parts))
	for i, p := range parts {
		words[i] = fmt.Sprintf("%s %+.0f MB", p.k.Words(), p.d/(1<<20))
	}
	if len(words) == 0 {
		words = []string{"no kind changed by a megabyte"}
	}
	return fmt.Sprintf("%s (pid %d): %s", g.Name, g.PID, strings.Join(words, ", "))
}

// CgroupGrew says how the cgroup's memory changed by kind between two
// breakdowns, the largest change first, leaving out changes under a
// megabyte: "anon +470 MB, shmem +2 MB".
func CgroupGrew(was, now *Cgroup) string {
	if was == nil || now == nil {
		return ""
	}
	type part struct {
		k string
		d float64
	}
	var parts []part
	for k, v := range now.Bytes {
		if d := float64(v) - float64(was.Bytes[k]); d >= 1<<20 || d <= -(1<<20) {
			parts = append(parts, part{k, d})
		}
	}
	slices.SortFunc(parts, func(a, b part) int { return cmp.Or(cmp.Compare(b.d, a.d), strings.Compare(a.k, b.k)) })
	words := make([]string, len(parts))
	for i, p := range parts {
		words[i] = fmt.Sprintf("%s %+.0f MB", p.k, p.d/(1<<20))
	}
	return strings.Join(words, ", ")
}
