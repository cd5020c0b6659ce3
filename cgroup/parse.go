package cgroup

import (
	"bytes"
	"fmt"
	"strconv"
	"time"
)

// The parsers read the files of the kernel's cgroup documentation
// (Documentation/admin-guide/cgroup-v2.rst, cgroup-v1/memory.rst and
// cgroup-v1/blkio-controller.rst). They take the bytes and leave reading to
// the caller, which wraps their errors with the file's path. A key the
// parser does not know is skipped: kernels add keys.

// MemoryStat holds the fields of memory.stat that soakrun reports.
type MemoryStat struct {
	Anon, File, Shmem uint64
	// SlabReclaimable is kernel memory the kernel frees under pressure,
	// most of it the page cache's own indexes and buffer heads, which
	// grow with every file written (v2 only; 0 where not given).
	SlabReclaimable uint64
	// The kernel's own memory on the group's behalf, by kind (v2 only; 0
	// where not given): its tasks' kernel stacks, their page tables, slab
	// objects (reclaimable or not) and socket buffers.
	KernelStack, PageTables, Slab, Sock uint64
}

// ParseMemoryStat parses a cgroup v2 memory.stat.
func ParseMemoryStat(b []byte) (MemoryStat, error) {
	var m MemoryStat
	err := keyed(b, map[string]*uint64{
		"anon": &m.Anon, "file": &m.File, "shmem": &m.Shmem, "slab_reclaimable": &m.SlabReclaimable,
		"kernel_stack": &m.KernelStack, "pagetables": &m.PageTables, "slab": &m.Slab, "sock": &m.Sock,
	}, "anon", "file")
	return m, err
}

// ParseMemoryStatV1 parses a cgroup v1 memory.stat, taking the
// hierarchical total_* figures, which include the group's descendants.
func ParseMemoryStatV1(b []byte) (MemoryStat, error) {
	var m MemoryStat
	err := keyed(b, map[string]*uint64{"total_rss": &m.Anon, "total_cache": &m.File, "total_shmem": &m.Shmem}, "total_rss", "total_cache")
	return m, err
}

// CPUStat holds the fields of a cgroup v2 cpu.stat every kernel gives,
// with or without the cpu controller.
type CPUStat struct {
	Usage, User, System time.Duration
}

// ParseCPUStat parses a cgroup v2 cpu.stat.
func ParseCPUStat(b []byte) (CPUStat, error) {
	var usage, user, system uint64
	err := keyed(b, map[string]*uint64{"usage_usec": &usage, "user_usec": &user, "system_usec": &system}, "usage_usec")
	return CPUStat{Usage: usec(usage), User: usec(user), System: usec(system)}, err
}

func usec(n uint64) time.Duration { return time.Duration(n) * time.Microsecond }

// MemoryEvents holds the counters of a cgroup v2 memory.events.
type MemoryEvents struct {
	// High and Max count the times the group hit memory.high and
	// memory.max; OOM the times the OOM killer was invoked for it; OOMKill
	// the tasks it killed.
	High, Max, OOM, OOMKill uint64
}

// ParseMemoryEvents parses a cgroup v2 memory.events.
func ParseMemoryEvents(b []byte) (MemoryEvents, error) {
	var e MemoryEvents
	err := keyed(b, map[string]*uint64{"high": &e.High, "max": &e.Max, "oom": &e.OOM, "oom_kill": &e.OOMKill}, "oom_kill")
	return e, err
}

// OOMControl is a cgroup v1 memory.oom_control.
type OOMControl struct {
	UnderOOM bool
	// OOMKill counts the tasks the OOM killer killed; HasOOMKill is false
	// before Linux 4.13, which did not count them.
	OOMKill    uint64
	HasOOMKill bool
}

// ParseOOMControl parses a cgroup v1 memory.oom_control.
func ParseOOMControl(b []byte) (OOMControl, error) {
	var under, kills uint64
	var o OOMControl
	err := keyed(b, map[string]*uint64{"under_oom": &under, "oom_kill": &kills}, "under_oom")
	o.UnderOOM = under != 0
	o.OOMKill, o.HasOOMKill = kills, bytes.Contains(b, []byte("oom_kill "))
	return o, err
}

// IOStat is a cgroup v2 io.stat summed over its devices.
type IOStat struct {
	ReadBytes, WriteBytes uint64
}

// ParseIOStat parses a cgroup v2 io.stat: one line per device,
// "MAJ:MIN rbytes=N wbytes=N rios=N …". A group that has done no I/O has
// an empty file.
func ParseIOStat(b []byte) (IOStat, error) {
	var s IOStat
	for line := range bytes.Lines(b) {
		fields := bytes.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if !bytes.Contains(fields[0], []byte(":")) {
			return s, fmt.Errorf("%w: io.stat line %q has no MAJ:MIN", ErrFileParse, line)
		}
		for _, f := range fields[1:] {
			k, v, ok := bytes.Cut(f, []byte("="))
			if !ok {
				return s, fmt.Errorf("%w: io.stat field %q is not key=value", ErrFileParse, f)
			}
			var dst *uint64
			switch string(k) {
			case "rbytes":
				dst = &s.ReadBytes
			case "wbytes":
				dst = &s.WriteBytes
			default:
				continue
			}
			n, err := strconv.ParseUint(string(v), 10, 64)
			if err != nil {
				return s, fmt.Errorf("%w: io.stat %s: %v", ErrFileParse, k, err)
			}
			*dst += n
		}
	}
	return s, nil
}

// ParseBlkioServiceBytes parses a cgroup v1 blkio.*io_service_bytes*
// file: lines of "MAJ:MIN Read|Write|Sync|Async|Discard|Total N" and a
// last "Total N", summing Read and Write over the devices.
func ParseBlkioServiceBytes(b []byte) (IOStat, error) {
	var s IOStat
	for line := range bytes.Lines(b) {
		fields := bytes.Fields(line)
		if len(fields) != 3 {
			if len(fields) == 2 && string(fields[0]) == "Total" || len(fields) == 0 {
				continue
			}
			return s, fmt.Errorf("%w: blkio line %q is not MAJ:MIN OP BYTES", ErrFileParse, line)
		}
		var dst *uint64
		switch string(fields[1]) {
		case "Read":
			dst = &s.ReadBytes
		case "Write":
			dst = &s.WriteBytes
		default:
			continue
		}
		n, err := strconv.ParseUint(string(fields[2]), 10, 64)
		if err != nil {
			return s, fmt.Errorf("%w: blkio %s: %v", ErrFileParse, fields[1], err)
		}
		*dst += n
	}
	return s, nil
}

// ParsePressure parses a PSI file ("some avg10=… avg60=… avg300=…
// total=…", and a "full" line where the resource has one).
func ParsePressure(b []byte) (Pressure, error) {
	var p Pressure
	some := false
	for line := range bytes.Lines(b) {
		fields := bytes.Fields(line)
		if len(fields) == 0 {
			continue
		}
		var avg *float64
		var total *time.Duration
		switch string(fields[0]) {
		case "some":
			avg, total, some = &p.SomeAvg10, &p.SomeTotal, true
		case "full":
			avg, total, p.HasFull = &p.FullAvg10, &p.FullTotal, true
		default:
			return p, fmt.Errorf("%w: pressure line %q is neither some nor full", ErrFileParse, line)
		}
		seen := 0
		for _, f := range fields[1:] {
			k, v, _ := bytes.Cut(f, []byte("="))
			var err error
			switch string(k) {
			case "avg10":
				*avg, err = strconv.ParseFloat(string(v), 64)
				seen++
			case "total":
				var n uint64
				n, err = strconv.ParseUint(string(v), 10, 64)
				*total = usec(n)
				seen++
			}
			if err != nil {
				return p, fmt.Errorf("%w: pressure %s: %v", ErrFileParse, k, err)
			}
		}
		if seen != 2 {
			return p, fmt.Errorf("%w: pressure line %q lacks avg10 or total", ErrFileParse, line)
		}
	}
	if !some {
		return p, fmt.Errorf("%w: pressure file has no some line", ErrFileParse)
	}
	return p, nil
}

// ParseUint parses a file that holds one number (memory.current,
// pids.peak, cpuacct.usage…). A limit file's "max" is not a number and is
// an error here.
func ParseUint(b []byte) (uint64, error) {
	n, err := strconv.ParseUint(string(bytes.TrimSpace(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrFileParse, err)
	}
	return n, nil
}

// keyed reads a flat-keyed file ("key value" per line) into dst, by key,
// and fails if one of the required keys is missing.
func keyed(b []byte, dst map[string]*uint64, required ...string) error {
	for line := range bytes.Lines(b) {
		k, v, ok := bytes.Cut(bytes.TrimSpace(line), []byte(" "))
		if !ok {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			return fmt.Errorf("%w: line %q is not a key and a value", ErrFileParse, line)
		}
		p, want := dst[string(k)]
		if !want {
			continue
		}
		n, err := strconv.ParseUint(string(bytes.TrimSpace(v)), 10, 64)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrFileParse, k, err)
		}
		*p = n
		for i, r := range required {
			if r == string(k) {
				required = append(required[:i:i], required[i+1:]...)
				break
			}
		}
	}
	if len(required) > 0 {
		return fmt.Errorf("%w: no %s", ErrFileParse, required[0])
	}
	return nil
}
