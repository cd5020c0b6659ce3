package proc

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"
)

// Linux reports CPU times and start times in USER_HZ ticks, which the kernel
// fixes at 100 for user space on every architecture Go supports.
const userHZ = 100

var pageSize = uint64(os.Getpagesize())

func get(pid int) (Process, error) {
	path := "/proc/" + strconv.Itoa(pid) + "/stat"
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errESRCH) {
			return Process{}, fmt.Errorf("pid %d: %w", pid, ErrNotFound)
		}
		return Process{}, fmt.Errorf("read %s: %w", path, err)
	}
	p, err := ParseStat(b)
	if err != nil {
		return Process{}, fmt.Errorf("parse %s: %w", path, err)
	}
	return p, nil
}

func list() ([]Process, error) {
	d, err := os.Open("/proc")
	if err != nil {
		return nil, fmt.Errorf("open /proc: %w", err)
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("read /proc: %w", err)
	}
	out := make([]Process, 0, len(names))
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		p, err := get(pid)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				continue // exited while we read
			}
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// ParseStat parses the contents of /proc/PID/stat (see proc(5)). The command
// name is in parentheses and may itself hold spaces and parentheses, so the
// fields are found from the last ')'.
func ParseStat(b []byte) (Process, error) { return parseStat(b, "") }

// parseStat is ParseStat reusing name, the name read last time, when it is
// still the same: listings repeat, and the names are most of what they
// would allocate.
func parseStat(b []byte, name string) (Process, error) {
	open := bytes.IndexByte(b, '(')
	closing := bytes.LastIndexByte(b, ')')
	if open < 0 || closing < open {
		return Process{}, errors.New("no command name in parentheses")
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
	if err != nil {
		return Process{}, fmt.Errorf("pid: %w", err)
	}
	// Fields 3 onwards follow the name, one space apart; field n is
	// f[n-3]. Split by hand: this runs for every process at every sample.
	var f [22][]byte
	n, from := 0, -1
	for i, c := range b[closing+1:] {
		sep := c == ' ' || c == '\n'
		switch {
		case !sep && from < 0:
			from = i
		case sep && from >= 0:
			f[n], n, from = b[closing+1+from:closing+1+i], n+1, -1
		}
		if n == len(f) {
			break
		}
	}
	if from >= 0 && n < len(f) {
		f[n], n = b[closing+1+from:], n+1
	}
	if n < len(f) {
		return Process{}, fmt.Errorf("%d fields after the name, want at least %d", n, len(f))
	}
	var vals [25]uint64
	for _, field := range []int{4, 5, 6, 14, 15, 16, 17, 20, 22, 24} {
		v, err := statNumber(f[field-3])
		if err != nil {
			return Process{}, fmt.Errorf("field %d: %w", field, err)
		}
		vals[field] = v
	}
	ticks := vals[14] + vals[15]
	return Process{
		Identity:        Identity{PID: pid, Start: vals[22]},
		PPID:            int(vals[4]),
		PGID:            int(vals[5]),
		SID:             int(vals[6]),
		Name:            sameOrNew(name, b[open+1:closing]),
		Status:          linuxStatus[f[0][0]],
		Zombie:          f[0][0] == 'Z' || f[0][0] == 'X',
		CPUTime:         time.Duration(ticks) * (time.Second / userHZ),
		ChildrenCPUTime: time.Duration(vals[16]+vals[17]) * (time.Second / userHZ),
		HasChildrenCPU:  true,
		RSSBytes:        vals[24] * pageSize,
		Threads:         int(vals[20]),
		HasUsage:        true,
	}, nil
}

func sameOrNew(s string, b []byte) string {
	if s == string(b) { // compared without allocating
		return s
	}
	return string(b)
}

// statNumber parses one numeric stat field. ppid, pgrp and session are
// signed in the kernel's format (-1 and 0 mean none); they read as 0.
func statNumber(b []byte) (uint64, error) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 20 {
		return 0, fmt.Errorf("%q is not a number", b)
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a number", b)
		}
		next := v*10 + uint64(c-'0')
		if next < v {
			return 0, fmt.Errorf("%q overflows", b)
		}
		v = next
	}
	if neg {
		return 0, nil
	}
	return v, nil
}

// linuxStatus names the state letters of proc(5) as psutil does.
var linuxStatus = map[byte]string{
	'R': "running", 'S': "sleeping", 'D': "disk-sleep", 'T': "stopped",
	't': "tracing-stop", 'Z': "zombie", 'X': "dead", 'x': "dead",
	'K': "wake-kill", 'W': "waking", 'P': "parked", 'I': "idle",
}

// NumberField parses field i (from 0) of a line of space-separated numbers,
// as /proc/PID/statm and schedstat are, without allocating.
func NumberField(b []byte, i int) (uint64, bool) {
	for n := 0; ; n++ {
		for len(b) > 0 && b[0] == ' ' {
			b = b[1:]
		}
		end := 0
		for end < len(b) && b[end] != ' ' && b[end] != '\n' {
			end++
		}
		if end == 0 {
			return 0, false
		}
		if n == i {
			v, err := statNumber(b[:end])
			return v, err == nil
		}
		b = b[end:]
	}
}
