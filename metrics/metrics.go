// Package metrics serves the live samples of a run as Prometheus metrics,
// for fleets of runners watched from one Prometheus and Grafana. It only
// reports the last snapshot it was given; it reads nothing itself.
package metrics

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/soakrun/soakrun/samples"
)

const mib, gib = 1 << 20, 1 << 30

// Exporter holds the latest snapshot and serves it.
type Exporter struct {
	mu         sync.Mutex
	last       *samples.Snapshot
	samples    float64
	cpuSeconds float64  // the tree's CPU, integrated over the samples
	pss        *float64 // the tree's PSS as last read (it is read every few samples)
	slope      *float64
	reg        *prometheus.Registry
	srv        *http.Server
	served     chan error // Serve's end, once Close has stopped it
}

// New returns an exporter with soakrun's own process and Go runtime
// metrics registered beside the run's.
func New() *Exporter {
	e := &Exporter{reg: prometheus.NewRegistry()}
	e.reg.MustRegister(e,
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewGoCollector())
	return e
}

// Add makes s the snapshot served: the exporter is a samples.Sink.
func (e *Exporter) Add(s *samples.Snapshot) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.last != nil && s.ProcessCPUPercent != nil {
		if dt := s.TimestampUnix - e.last.TimestampUnix; dt > 0 {
			e.cpuSeconds += *s.ProcessCPUPercent / 100 * dt
		}
	}
	if s.ProcessPSSMB != nil {
		v := *s.ProcessPSSMB
		e.pss = &v
	}
	snap := *s
	if snap.ProcessCount == nil && e.last != nil && e.last.ProcessCount != nil {
		// With a cgroup the members are read every few samples (see
		// sampler.TreeWalkBudget): their figures stand until the next read
		// rather than vanish from the scrape.
		l := e.last
		snap.ProcessMemoryMB, snap.ProcessCount, snap.ProcessZombies = l.ProcessMemoryMB, l.ProcessCount, l.ProcessZombies
		snap.ProcessThreads, snap.ProcessHandles = l.ProcessThreads, l.ProcessHandles
		snap.ProcessIOReadBytes, snap.ProcessIOWriteBytes = l.ProcessIOReadBytes, l.ProcessIOWriteBytes
		if snap.ProcessCPUSeconds == nil {
			snap.ProcessCPUSeconds = l.ProcessCPUSeconds
		}
	}
	e.last = &snap
	e.samples++
}

// SetSlope sets the tree memory's current trend, in MB per hour.
func (e *Exporter) SetSlope(mbPerHour float64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	v := mbPerHour * mib / 3600
	e.slope = &v
}

type desc struct {
	*prometheus.Desc
	kind prometheus.ValueType
}

func newDesc(name, help string, kind prometheus.ValueType) desc {
	return desc{prometheus.NewDesc(name, help, nil, nil), kind}
}

var (
	treeRSS      = newDesc("soakrun_tree_resident_memory_bytes", "Resident memory of all live members of the tree.", prometheus.GaugeValue)
	treeProcs    = newDesc("soakrun_tree_processes", "Live processes in the tree.", prometheus.GaugeValue)
	treeZombies  = newDesc("soakrun_tree_zombies", "Zombie processes in the tree.", prometheus.GaugeValue)
	treeThreads  = newDesc("soakrun_tree_threads", "Threads of all live members of the tree.", prometheus.GaugeValue)
	treeHandles  = newDesc("soakrun_tree_open_handles", "Open file descriptors (handles on Windows) of all live members.", prometheus.GaugeValue)
	treeCPU      = newDesc("soakrun_tree_cpu_seconds_total", "CPU time used by the tree while soakrun watched it.", prometheus.CounterValue)
	treeRead     = newDesc("soakrun_tree_io_read_bytes", "Bytes the live members read from storage.", prometheus.GaugeValue)
	treeWritten  = newDesc("soakrun_tree_io_written_bytes", "Bytes the live members wrote to storage.", prometheus.GaugeValue)
	leakSlope    = newDesc("soakrun_leak_slope_bytes_per_second", "Current robust trend of the tree's memory floor.", prometheus.GaugeValue)
	hostCPU      = newDesc("soakrun_host_cpu_usage_ratio", "Busy share of all host CPUs, 0 to 1.", prometheus.GaugeValue)
	hostMemUsed  = newDesc("soakrun_host_memory_used_bytes", "Host memory in use.", prometheus.GaugeValue)
	hostMemAvail = newDesc("soakrun_host_memory_available_bytes", "Host memory available.", prometheus.GaugeValue)
	hostMemTotal = newDesc("soakrun_host_memory_total_bytes", "Host memory in all.", prometheus.GaugeValue)
	hostDiskUsed = newDesc("soakrun_host_disk_used_bytes", "Used space of the sampled filesystem.", prometheus.GaugeValue)
	hostDiskSize = newDesc("soakrun_host_disk_size_bytes", "Size of the sampled filesystem.", prometheus.GaugeValue)
	hostNetSent  = newDesc("soakrun_host_network_transmit_bytes_total", "Bytes sent on all interfaces.", prometheus.CounterValue)
	hostNetRecv  = newDesc("soakrun_host_network_receive_bytes_total", "Bytes received on all interfaces.", prometheus.CounterValue)
	samplesTaken = newDesc("soakrun_samples_total", "Snapshots taken.", prometheus.CounterValue)
	lastSample   = newDesc("soakrun_last_sample_timestamp_seconds", "When the last snapshot was taken.", prometheus.GaugeValue)
	treePSS      = newDesc("soakrun_tree_proportional_memory_bytes", "Proportional set size of the tree's members, each shared page divided among its sharers (Linux without a cgroup, read every few samples).", prometheus.GaugeValue)

	// The kernel's account of the run's cgroup, where one ran.
	cgMemory    = newDesc("soakrun_cgroup_memory_bytes", "Memory the kernel charges to the run's cgroup: anonymous, page cache and kernel memory.", prometheus.GaugeValue)
	cgNoCache   = newDesc("soakrun_cgroup_memory_nocache_bytes", "The cgroup's charge less reclaimable page cache: what the verdict judges.", prometheus.GaugeValue)
	cgAnon      = newDesc("soakrun_cgroup_memory_anon_bytes", "Anonymous memory charged to the cgroup.", prometheus.GaugeValue)
	cgFile      = newDesc("soakrun_cgroup_memory_file_bytes", "Page cache charged to the cgroup.", prometheus.GaugeValue)
	cgPeak      = newDesc("soakrun_cgroup_memory_peak_bytes", "The largest charge of the cgroup so far.", prometheus.GaugeValue)
	cgTasks     = newDesc("soakrun_cgroup_tasks", "Tasks (threads included) in the cgroup.", prometheus.GaugeValue)
	cgTasksPeak = newDesc("soakrun_cgroup_tasks_peak", "The most tasks the cgroup held at once.", prometheus.GaugeValue)
	cgCPU       = newDesc("soakrun_cgroup_cpu_seconds_total", "CPU time of every task that ever ran in the cgroup.", prometheus.CounterValue)
	cgRead      = newDesc("soakrun_cgroup_io_read_bytes_total", "Bytes the cgroup read from block devices.", prometheus.CounterValue)
	cgWritten   = newDesc("soakrun_cgroup_io_written_bytes_total", "Bytes the cgroup wrote to block devices.", prometheus.CounterValue)
	cgOOMKills  = newDesc("soakrun_cgroup_oom_kills_total", "Members of the cgroup the kernel's OOM killer killed.", prometheus.CounterValue)
	cgMemSome   = newDesc("soakrun_cgroup_memory_pressure_some_ratio", "Share of the last 10 s in which some of the cgroup's tasks stalled on memory, 0 to 1.", prometheus.GaugeValue)
	cgMemFull   = newDesc("soakrun_cgroup_memory_pressure_full_ratio", "Share of the last 10 s in which all of the cgroup's tasks stalled on memory, 0 to 1.", prometheus.GaugeValue)
	cgCPUSome   = newDesc("soakrun_cgroup_cpu_pressure_some_ratio", "Share of the last 10 s in which some of the cgroup's tasks waited for a CPU, 0 to 1.", prometheus.GaugeValue)
	allDescs    = []desc{treeRSS, treeProcs, treeZombies, treeThreads, treeHandles, treeCPU, treeRead, treeWritten, leakSlope,
		hostCPU, hostMemUsed, hostMemAvail, hostMemTotal, hostDiskUsed, hostDiskSize, hostNetSent, hostNetRecv, samplesTaken, lastSample,
		treePSS, cgMemory, cgNoCache, cgAnon, cgFile, cgPeak, cgTasks, cgTasksPeak, cgCPU, cgRead, cgWritten, cgOOMKills, cgMemSome, cgMemFull, cgCPUSome}
)

// Describe implements prometheus.Collector.
func (e *Exporter) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d.Desc
	}
}

// Collect implements prometheus.Collector: the last snapshot's figures,
// leaving out the ones that could not be read.
func (e *Exporter) Collect(ch chan<- prometheus.Metric) {
	e.mu.Lock()
	defer e.mu.Unlock()
	put := func(d desc, v float64) { ch <- prometheus.MustNewConstMetric(d.Desc, d.kind, v) }
	putF := func(d desc, v *float64, scale float64) {
		if v != nil {
			put(d, *v*scale)
		}
	}
	putI := func(d desc, v *int) {
		if v != nil {
			put(d, float64(*v))
		}
	}
	putU := func(d desc, v *uint64) {
		if v != nil {
			put(d, float64(*v))
		}
	}
	put(samplesTaken, e.samples)
	s := e.last
	if s == nil {
		return
	}
	put(lastSample, s.TimestampUnix)
	putF(treeRSS, s.ProcessMemoryMB, mib)
	putI(treeProcs, s.ProcessCount)
	putI(treeZombies, s.ProcessZombies)
	putI(treeThreads, s.ProcessThreads)
	putI(treeHandles, s.ProcessHandles)
	switch {
	case s.ProcessCPUSeconds != nil: // the tree's own count, the dead included
		put(treeCPU, *s.ProcessCPUSeconds)
	case s.ProcessCount != nil:
		put(treeCPU, e.cpuSeconds)
	}
	putF(treePSS, e.pss, mib)
	putF(cgMemory, s.CgroupMemoryMB, mib)
	putF(cgNoCache, s.CgroupMemoryNoCacheMB, mib)
	putF(cgAnon, s.CgroupAnonMB, mib)
	putF(cgFile, s.CgroupFileMB, mib)
	putF(cgPeak, s.CgroupMemoryPeakMB, mib)
	putI(cgTasks, s.CgroupTasks)
	putI(cgTasksPeak, s.CgroupTasksPeak)
	putF(cgCPU, s.CgroupCPUSeconds, 1)
	putU(cgRead, s.CgroupIOReadBytes)
	putU(cgWritten, s.CgroupIOWriteBytes)
	putI(cgOOMKills, s.CgroupOOMKills)
	putF(cgMemSome, s.CgroupMemoryPressureSome, 0.01)
	putF(cgMemFull, s.CgroupMemoryPressureFull, 0.01)
	putF(cgCPUSome, s.CgroupCPUPressureSome, 0.01)
	putU(treeRead, s.ProcessIOReadBytes)
	putU(treeWritten, s.ProcessIOWriteBytes)
	putF(leakSlope, e.slope, 1)
	putF(hostCPU, s.CPUPercent, 0.01)
	putF(hostMemUsed, s.MemoryUsedMB, mib)
	putF(hostMemAvail, s.MemoryAvailableMB, mib)
	putF(hostMemTotal, s.MemoryTotalMB, mib)
	putF(hostDiskUsed, s.DiskUsedGB, gib)
	putF(hostDiskSize, s.DiskTotalGB, gib)
	putU(hostNetSent, s.NetworkBytesSent)
	putU(hostNetRecv, s.NetworkBytesRecv)
}

// ListenAddr is the address to bind for addr as a user gives it: a bare
// port ("9464" or ":9464") binds to loopback only; a host must be named to
// be reachable from elsewhere ("0.0.0.0:9464").
func ListenAddr(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if p, err := strconv.Atoi(strings.TrimPrefix(addr, ":")); err == nil {
		if p < 0 || p > 65535 {
			return "", fmt.Errorf("%q is not a port", addr)
		}
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(p)), nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("%q is neither a port nor host:port", addr)
	}
	// An empty port would bind a random one, which no scraper could find.
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", fmt.Errorf("%q has no port (want host:port, a port from 0 to 65535)", addr)
	}
	return addr, nil
}

// Serve binds addr (see ListenAddr) and serves /metrics until Close. It
// returns the address bound, which tells the port when addr asked for 0.
func (e *Exporter) Serve(addr string) (string, error) {
	addr, err := ListenAddr(addr)
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen for metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(e.reg, promhttp.HandlerOpts{}))
	e.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	e.served = make(chan error, 1)
	go func() {
		err := e.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		e.served <- err
	}()
	return ln.Addr().String(), nil
}

// Close stops serving; a second Close does nothing. It returns why serving
// stopped early, if it did: the exporter says nothing on its own while the
// run goes on.
func (e *Exporter) Close() error {
	if e.srv == nil {
		return nil
	}
	err := e.srv.Close()
	e.srv = nil
	if serveErr := <-e.served; serveErr != nil {
		err = errors.Join(fmt.Errorf("serve metrics: %w", serveErr), err)
	}
	return err
}
