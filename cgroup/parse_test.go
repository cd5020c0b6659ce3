package cgroup

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func captured(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The captured files (see testdata/README.md) parse to the numbers they
// hold.
func TestParseCaptured(t *testing.T) {
	m, err := ParseMemoryStat(captured(t, "v2-galaxy", "memory.stat"))
	if err != nil || m != (MemoryStat{Anon: 860160, File: 129146880, Shmem: 0, SlabReclaimable: 8642480, KernelStack: 32768, PageTables: 126976, Slab: 8983384}) {
		t.Errorf("v2-galaxy memory.stat: %+v, %v", m, err)
	}
	m, err = ParseMemoryStat(captured(t, "v2-clickhouse", "memory.stat"))
	if err != nil || m != (MemoryStat{Anon: 10429399040, File: 17410793472, SlabReclaimable: 1460982504, KernelStack: 3833856, PageTables: 65441792, Slab: 1466135368, Sock: 4192}) {
		t.Errorf("v2-clickhouse memory.stat: %+v, %v", m, err)
	}
	m, err = ParseMemoryStatV1(captured(t, "v1-galaxy", "memory.stat"))
	if err != nil || m != (MemoryStat{Anon: 655360, File: 102690816}) {
		t.Errorf("v1-galaxy memory.stat: %+v, %v", m, err)
	}
	c, err := ParseCPUStat(captured(t, "v2-galaxy", "cpu.stat"))
	if err != nil || c != (CPUStat{Usage: 8992210 * time.Microsecond, User: 6139150 * time.Microsecond, System: 2853059 * time.Microsecond}) {
		t.Errorf("v2-galaxy cpu.stat: %+v, %v", c, err)
	}
	e, err := ParseMemoryEvents(captured(t, "v2-galaxy", "memory.events"))
	if err != nil || e != (MemoryEvents{}) {
		t.Errorf("v2-galaxy memory.events: %+v, %v", e, err)
	}
	o, err := ParseOOMControl(captured(t, "v1-galaxy", "memory.oom_control"))
	if err != nil || o.HasOOMKill || o.UnderOOM {
		t.Errorf("v1-galaxy memory.oom_control (no oom_kill line before 4.13): %+v, %v", o, err)
	}
	o, err = ParseOOMControl(captured(t, "linux-6.18", "memory.oom_control"))
	if err != nil || !o.HasOOMKill || o.OOMKill != 0 {
		t.Errorf("linux-6.18 memory.oom_control: %+v, %v", o, err)
	}
	io, err := ParseIOStat(captured(t, "v2-kernel-doc", "io.stat"))
	if err != nil || io != (IOStat{ReadBytes: 1459200 + 90430464, WriteBytes: 314773504 + 299008000}) {
		t.Errorf("io.stat: %+v, %v", io, err)
	}
	for _, name := range []string{"cpu.pressure", "memory.pressure"} {
		if p, err := ParsePressure(captured(t, "linux-6.18", name)); err != nil || !p.HasFull {
			t.Errorf("%s: %+v, %v", name, p, err)
		}
	}
	for dir, want := range map[string]uint64{"v2-galaxy": 139350016, "v2-clickhouse": 29645422592} {
		if n, err := ParseUint(captured(t, dir, "memory.current")); err != nil || n != want {
			t.Errorf("%s memory.current: %d, %v", dir, n, err)
		}
	}
}

// A whole captured v2 directory reads through the Reader as a run's
// cgroup would: the charge, its parts, the peak, the CPU and the OOM kills.
func TestReaderCapturedV2(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"memory.current", "memory.stat", "memory.peak", "memory.events", "cpu.stat"} {
		os.WriteFile(filepath.Join(dir, f), captured(t, "v2-galaxy", f), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "io.stat"), captured(t, "v2-kernel-doc", "io.stat"), 0o644)
	r := NewReader(Paths{Unified: dir})
	defer r.Close()
	s, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got *uint64, want uint64) {
		t.Helper()
		if got == nil || *got != want {
			t.Errorf("%s = %v, want %d", name, got, want)
		}
	}
	check("MemoryBytes", s.MemoryBytes, 139350016)
	check("AnonBytes", s.AnonBytes, 860160)
	check("FileBytes", s.FileBytes, 129146880)
	check("PeakMemoryBytes", s.PeakMemoryBytes, 339906560)
	check("OOMKills", s.OOMKills, 0)
	check("IOReadBytes", s.IOReadBytes, 91889664)
	check("ReclaimableKernelBytes", s.ReclaimableKernelBytes, 8642480)
	check("NoCacheBytes", s.NoCacheBytes(), 139350016-129146880-8642480)
	if s.CPU == nil || *s.CPU != 8992210*time.Microsecond {
		t.Errorf("CPU = %v", s.CPU)
	}
	if s.Tasks != nil || s.MemoryPressure != nil {
		t.Errorf("files not there read as figures: tasks %v, pressure %v", s.Tasks, s.MemoryPressure)
	}
}

func TestParseRejects(t *testing.T) {
	for name, parse := range map[string]func() error{
		"memory.stat without file": func() error { _, err := ParseMemoryStat([]byte("anon 1\n")); return err },
		"memory.stat bad number":   func() error { _, err := ParseMemoryStat([]byte("anon x\nfile 2\n")); return err },
		"cpu.stat empty":           func() error { _, err := ParseCPUStat(nil); return err },
		"io.stat no device":        func() error { _, err := ParseIOStat([]byte("rbytes=1\n")); return err },
		"io.stat bad value":        func() error { _, err := ParseIOStat([]byte("8:0 rbytes=-1\n")); return err },
		"pressure no some": func() error {
			_, err := ParsePressure([]byte("full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"))
			return err
		},
		"pressure garbage": func() error { _, err := ParsePressure([]byte("some avg10=x total=1\n")); return err },
		"limit max":        func() error { _, err := ParseUint([]byte("max\n")); return err },
		"blkio short":      func() error { _, err := ParseBlkioServiceBytes([]byte("8:0 Read\n")); return err },
	} {
		if err := parse(); !errors.Is(err, ErrFileParse) {
			t.Errorf("%s: %v, want ErrFileParse", name, err)
		}
	}
	if s, err := ParseIOStat(nil); err != nil || s != (IOStat{}) {
		t.Errorf("empty io.stat: %+v, %v", s, err)
	}
	if s, err := ParseBlkioServiceBytes([]byte("8:0 Read 10\n8:0 Write 20\n8:0 Total 30\n8:16 Read 1\nTotal 31\n")); err != nil || s != (IOStat{11, 20}) {
		t.Errorf("blkio: %+v, %v", s, err)
	}
}
