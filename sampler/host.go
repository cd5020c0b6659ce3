package sampler

import (
	"context"
	"math"
	"time"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/disk"
	"github.com/shirou/gopsutil/v4/mem"

	"github.com/soakrun/soakrun/samples"
)

// Units are the psutil monitor's: MB is MiB and GB is GiB, as psutil users
// compute them (bytes / 1024**2, bytes / 1024**3).
const (
	mib = 1 << 20
	gib = 1 << 30
)

// freqEvery bounds how often the CPU description is re-read: it is the most
// expensive host figure and the one that changes least.
const freqEvery = time.Minute

// hostReader reads the host's figures through gopsutil. CPU percent is the
// busy share of all CPUs between two reads, so it needs a previous read.
type hostReader struct {
	diskPath string
	hostname string
	platform string

	cpuCount *int // read once: /proc/cpuinfo is costly on big machines
	prevCPU  *cpu.TimesStat
	freq     *float64
	freqRead time.Time
}

func newHostReader(diskPath string) *hostReader {
	h := &hostReader{diskPath: diskPath}
	h.hostname, h.platform = hostFacts()
	if n, err := cpu.CountsWithContext(context.Background(), true); err == nil && n > 0 {
		h.cpuCount = &n
	}
	h.cpuPercent() // the first read only sets the baseline
	return h
}

func (h *hostReader) read(s *samples.Snapshot, now time.Time) {
	ctx := context.Background()
	s.Hostname, s.Platform = h.hostname, h.platform
	s.CPUPercent = h.cpuPercent()
	s.CPUCount = h.cpuCount
	s.CPUFreqMHz = h.cpuFreq(now)
	if vm, err := mem.VirtualMemoryWithContext(ctx); err == nil {
		s.MemoryTotalMB = mb(vm.Total)
		s.MemoryUsedMB = mb(vm.Used)
		s.MemoryAvailableMB = mb(vm.Available)
		s.MemoryPercent = pct(vm.UsedPercent)
	}
	if d, err := disk.UsageWithContext(ctx, h.diskPath); err == nil {
		s.DiskTotalGB = gb(d.Total)
		s.DiskUsedGB = gb(d.Used)
		s.DiskFreeGB = gb(d.Free)
		s.DiskPercent = pct(d.UsedPercent)
	}
	s.NetworkBytesSent, s.NetworkBytesRecv = networkBytes()
}

// cpuPercent is the busy share of all CPUs since the previous call, or nil
// on the first call and when the counters cannot be read.
func (h *hostReader) cpuPercent() *float64 {
	t, err := cpu.TimesWithContext(context.Background(), false)
	if err != nil || len(t) != 1 {
		return nil
	}
	prev := h.prevCPU
	h.prevCPU = &t[0]
	if prev == nil {
		return nil
	}
	total, busy := busyTime(t[0])
	prevTotal, prevBusy := busyTime(*prev)
	if total <= prevTotal {
		return nil // no time passed on the counters' clock
	}
	busyPct := (busy - prevBusy) / (total - prevTotal) * 100
	return pct(min(100, max(0, busyPct)))
}

// busyTime follows psutil: guest time is already counted in user time, and
// idle and iowait are not busy.
func busyTime(t cpu.TimesStat) (total, busy float64) {
	total = t.User + t.System + t.Idle + t.Nice + t.Iowait + t.Irq + t.Softirq + t.Steal
	return total, total - t.Idle - t.Iowait
}

// cpuFreq is the mean of the CPUs' clocks in MHz (on Linux gopsutil reports
// each CPU's maximum where cpufreq exposes one).
func (h *hostReader) cpuFreq(now time.Time) *float64 {
	if h.freq != nil && now.Sub(h.freqRead) < freqEvery {
		return h.freq
	}
	h.freqRead = now
	infos, err := cpu.InfoWithContext(context.Background())
	if err != nil {
		return h.freq
	}
	var sum float64
	var n int
	for _, i := range infos {
		if i.Mhz > 0 {
			sum += i.Mhz
			n++
		}
	}
	if n > 0 {
		h.freq = ptr(math.Round(sum / float64(n)))
	}
	return h.freq
}

func ptr[T any](v T) *T { return &v }

// Figures are rounded to what they can mean, which keeps a 72-hour file at
// one-second samples a third smaller: MB to the KiB, GB to the MiB, percent
// to a hundredth.
func mb(bytes uint64) *float64         { return ptr(roundTo(float64(bytes)/mib, 1e3)) }
func gb(bytes uint64) *float64         { return ptr(roundTo(float64(bytes)/gib, 1e3)) }
func pct(p float64) *float64           { return ptr(roundTo(p, 1e2)) }
func roundTo(x, scale float64) float64 { return math.Round(x*scale) / scale }
