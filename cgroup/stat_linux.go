package cgroup

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Reader reads one run's cgroup figures again and again. It keeps each
// file open and reads it from its start each time, so a sample costs one
// read per file whatever the tree's size. A Reader is not safe for
// concurrent use.
type Reader struct {
	files []*statFile
	buf   []byte
}

// statFile is one kept file and what its figures go to.
type statFile struct {
	path string
	f    *os.File
	gone bool // missing when first opened: never tried again
	fill func(b []byte, s *Stat) error
}

// NewReader prepares to read the cgroup at p. For each figure it picks the
// unified directory where that holds the file and the v1 controller's
// otherwise; a figure whose file is in neither stays nil in every Stat.
func NewReader(p Paths) *Reader {
	r := &Reader{buf: make([]byte, 8<<10)}
	pick := func(v2dir, v2name, v1dir, v1name string, v2, v1 func([]byte, *Stat) error) {
		if v2dir != "" && exists(filepath.Join(v2dir, v2name)) {
			r.files = append(r.files, &statFile{path: filepath.Join(v2dir, v2name), fill: v2})
		} else if v1dir != "" && v1 != nil {
			r.files = append(r.files, &statFile{path: filepath.Join(v1dir, v1name), fill: v1})
		}
	}
	pick(p.Unified, "memory.current", p.Memory, "memory.usage_in_bytes", fillNumber(func(s *Stat, n uint64) { s.MemoryBytes = &n }), fillNumber(func(s *Stat, n uint64) { s.MemoryBytes = &n }))
	pick(p.Unified, "memory.stat", p.Memory, "memory.stat", fillMemoryStat(ParseMemoryStat, true), fillMemoryStat(ParseMemoryStatV1, false))
	if p.Memory != "" && !exists(filepath.Join(p.Unified, "memory.stat")) {
		pick("", "", p.Memory, "memory.kmem.usage_in_bytes", nil, fillNumber(func(s *Stat, n uint64) { s.ReclaimableKernelBytes = &n }))
	}
	pick(p.Unified, "memory.peak", p.Memory, "memory.max_usage_in_bytes", fillNumber(func(s *Stat, n uint64) { s.PeakMemoryBytes = &n }), fillNumber(func(s *Stat, n uint64) { s.PeakMemoryBytes = &n }))
	pick(p.Unified, "memory.events", p.Memory, "memory.oom_control", fillMemoryEvents, fillOOMControl)
	pick(p.Unified, "pids.current", p.Pids, "pids.current", fillNumber(func(s *Stat, n uint64) { s.Tasks = &n }), fillNumber(func(s *Stat, n uint64) { s.Tasks = &n }))
	pick(p.Unified, "pids.peak", p.Pids, "pids.peak", fillNumber(func(s *Stat, n uint64) { s.PeakTasks = &n }), fillNumber(func(s *Stat, n uint64) { s.PeakTasks = &n }))
	pick(p.Unified, "cpu.stat", p.CPUAcct, "cpuacct.usage", fillCPUStat, fillNumber(func(s *Stat, n uint64) { d := time.Duration(n); s.CPU = &d }))
	pick(p.Unified, "io.stat", p.Blkio, "blkio.throttle.io_service_bytes_recursive", fillIO(ParseIOStat), fillIO(ParseBlkioServiceBytes))
	pick(p.Unified, "memory.pressure", "", "", fillPressure(func(s *Stat, p Pressure) { s.MemoryPressure = &p }), nil)
	pick(p.Unified, "cpu.pressure", "", "", fillPressure(func(s *Stat, p Pressure) { s.CPUPressure = &p }), nil)
	return r
}

// Read reads every figure. A file that cannot be read or parsed leaves its
// figures nil, and its error is returned joined with the others'.
func (r *Reader) Read() (Stat, error) {
	var s Stat
	var errs []error
	for _, f := range r.files {
		b, err := r.read(f)
		if err == nil {
			err = f.fill(b, &s)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s: %w", f.path, err))
		}
	}
	return s, errors.Join(errs...)
}

// Close closes the kept files.
func (r *Reader) Close() error {
	var errs []error
	for _, f := range r.files {
		if f.f != nil {
			errs = append(errs, f.f.Close())
			f.f = nil
		}
	}
	return errors.Join(errs...)
}

// read reads f whole from its start, opening it the first time and
// growing the buffer for a file larger than it.
func (r *Reader) read(f *statFile) ([]byte, error) {
	if f.gone {
		return nil, nil
	}
	if f.f == nil {
		file, err := os.Open(f.path)
		if errors.Is(err, os.ErrNotExist) {
			f.gone = true
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		f.f = file
	}
	for {
		n, err := f.f.ReadAt(r.buf, 0)
		if n == len(r.buf) {
			r.buf = make([]byte, 2*len(r.buf))
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		return r.buf[:n], nil
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// The fill functions put one parsed file into a Stat. A file found gone
// (b nil) fills nothing.

func fillNumber(set func(*Stat, uint64)) func([]byte, *Stat) error {
	return func(b []byte, s *Stat) error {
		if b == nil {
			return nil
		}
		n, err := ParseUint(b)
		if err == nil {
			set(s, n)
		}
		return err
	}
}

// fillMemoryStat fills the memory breakdown; v2 also gives the
// reclaimable kernel memory, which v1 reads from its own file.
func fillMemoryStat(parse func([]byte) (MemoryStat, error), v2 bool) func([]byte, *Stat) error {
	return func(b []byte, s *Stat) error {
		if b == nil {
			return nil
		}
		m, err := parse(b)
		if err == nil {
			s.AnonBytes, s.FileBytes, s.ShmemBytes = &m.Anon, &m.File, &m.Shmem
			if v2 {
				s.ReclaimableKernelBytes = &m.SlabReclaimable
			}
		}
		return err
	}
}

func fillMemoryEvents(b []byte, s *Stat) error {
	if b == nil {
		return nil
	}
	e, err := ParseMemoryEvents(b)
	if err == nil {
		s.OOMKills = &e.OOMKill
	}
	return err
}

func fillOOMControl(b []byte, s *Stat) error {
	if b == nil {
		return nil
	}
	o, err := ParseOOMControl(b)
	if err == nil && o.HasOOMKill {
		s.OOMKills = &o.OOMKill
	}
	return err
}

func fillCPUStat(b []byte, s *Stat) error {
	if b == nil {
		return nil
	}
	c, err := ParseCPUStat(b)
	if err == nil {
		s.CPU = &c.Usage
	}
	return err
}

func fillIO(parse func([]byte) (IOStat, error)) func([]byte, *Stat) error {
	return func(b []byte, s *Stat) error {
		if b == nil {
			return nil
		}
		io, err := parse(b)
		if err == nil {
			s.IOReadBytes, s.IOWriteBytes = &io.ReadBytes, &io.WriteBytes
		}
		return err
	}
}

func fillPressure(set func(*Stat, Pressure)) func([]byte, *Stat) error {
	return func(b []byte, s *Stat) error {
		if b == nil {
			return nil
		}
		p, err := ParsePressure(b)
		if err == nil {
			set(s, p)
		}
		return err
	}
}
