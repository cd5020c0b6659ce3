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
func ParseStat(b []byte) (Process, error) {
	open := bytes.IndexByte(b, '(')
	closing := bytes.LastIndexByte(b, ')')
	if open < 0 || closing < open {
		return Process{}, errors.New("no command name in parentheses")
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
	if err != nil {
		return Process{}, fmt.Errorf("pid: %w", err)
	}
	f := bytes.Fields(b[closing+1:])
	// f[0] is field 3 (state); field n is f[n-3].
	if len(f) < 22 {
		return Process{}, fmt.Errorf("%d fields after the name, want at least 22", len(f))
	}
	num := func(field int) (uint64, error) {
		v, err := strconv.ParseUint(string(f[field-3]), 10, 64)
		if err != nil {
			// ppid, pgrp and session are signed in the kernel's format.
			iv, ierr := strconv.ParseInt(string(f[field-3]), 10, 64)
			if ierr != nil {
				return 0, fmt.Errorf("field %d: %w", field, err)
			}
			v = uint64(max(iv, 0))
		}
		return v, nil
	}
	var vals [25]uint64
	for _, field := range []int{4, 5, 6, 14, 15, 20, 22, 24} {
		v, err := num(field)
		if err != nil {
			return Process{}, err
		}
		vals[field] = v
	}
	ticks := vals[14] + vals[15]
	return Process{
		Identity: Identity{PID: pid, Start: vals[22]},
		PPID:     int(vals[4]),
		PGID:     int(vals[5]),
		SID:      int(vals[6]),
		Name:     string(b[open+1 : closing]),
		Status:   linuxStatus[f[0][0]],
		Zombie:   f[0][0] == 'Z' || f[0][0] == 'X',
		CPUTime:  time.Duration(ticks) * (time.Second / userHZ),
		RSSBytes: vals[24] * pageSize,
		Threads:  int(vals[20]),
		HasUsage: true,
	}, nil
}

// linuxStatus names the state letters of proc(5) as psutil does.
var linuxStatus = map[byte]string{
	'R': "running", 'S': "sleeping", 'D': "disk-sleep", 'T': "stopped",
	't': "tracing-stop", 'Z': "zombie", 'X': "dead", 'x': "dead",
	'K': "wake-kill", 'W': "waking", 'P': "parked", 'I': "idle",
}
