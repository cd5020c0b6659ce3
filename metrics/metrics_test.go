package metrics

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/promtest"
	"github.com/soakrun/soakrun/samples"
)

func TestListenAddr(t *testing.T) {
	for in, want := range map[string]string{
		"9464": "127.0.0.1:9464", ":9464": "127.0.0.1:9464", "0.0.0.0:9464": "0.0.0.0:9464",
		"[::1]:80": "[::1]:80", "localhost:0": "localhost:0",
	} {
		if got, err := ListenAddr(in); err != nil || got != want {
			t.Errorf("ListenAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "port", "70000", "host:", "host:http", "host:70000", ":-1"} {
		if got, err := ListenAddr(bad); err == nil {
			t.Errorf("ListenAddr(%q) = %q, want an error", bad, got)
		}
	}
}

func snapshot(t float64, procs int, mb, cpu float64) *samples.Snapshot {
	return &samples.Snapshot{TimestampUnix: t, ProcessCount: &procs, ProcessMemoryMB: &mb, ProcessCPUPercent: &cpu}
}

func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestServeLastSnapshot(t *testing.T) {
	e := New()
	addr, err := e.Serve("0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Errorf("a bare port bound %s, want loopback", addr)
	}
	e.Add(snapshot(100, 3, 10, 0))
	e.Add(snapshot(110, 7, 123, 50)) // half a core for 10 s: 5 CPU seconds
	e.SetSlope(36)
	body := scrape(t, addr)
	for _, want := range []string{
		"soakrun_tree_processes 7\n",
		fmt.Sprintf("soakrun_tree_resident_memory_bytes %g\n", 123.0*(1<<20)),
		"soakrun_tree_cpu_seconds_total 5\n",
		"soakrun_leak_slope_bytes_per_second 10485.76\n",
		"soakrun_samples_total 2\n",
		"# TYPE soakrun_tree_cpu_seconds_total counter",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "soakrun_tree_threads") || strings.Contains(body, "soakrun_cgroup_memory_bytes ") {
		t.Error("a figure that was never read is served")
	}
}

// The kernel's figures are served where a cgroup ran, and the PSS as last
// read; the tree's CPU is its own count, the dead included, when it has one.
func TestServeKernelFigures(t *testing.T) {
	e := New()
	addr, err := e.Serve("0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	f, n := func(v float64) *float64 { return &v }, func(v int) *int { return &v }
	s := snapshot(100, 3, 10, 0)
	s.ProcessPSSMB, s.ProcessCPUSeconds = f(64), f(231.5)
	s.CgroupMemoryMB, s.CgroupMemoryNoCacheMB, s.CgroupOOMKills, s.CgroupTasks = f(300), f(200), n(2), n(9)
	s.CgroupMemoryPressureSome = f(12.5)
	e.Add(s)
	later := snapshot(110, 3, 10, 50)
	later.ProcessCPUSeconds = f(232)
	later.CgroupMemoryMB, later.CgroupMemoryNoCacheMB, later.CgroupOOMKills = f(301), f(201), n(3)
	e.Add(later)
	body := scrape(t, addr)
	for _, want := range []string{
		fmt.Sprintf("soakrun_cgroup_memory_bytes %g\n", 301.0*(1<<20)),
		fmt.Sprintf("soakrun_cgroup_memory_nocache_bytes %g\n", 201.0*(1<<20)),
		"soakrun_cgroup_oom_kills_total 3\n",
		fmt.Sprintf("soakrun_tree_proportional_memory_bytes %g\n", 64.0*(1<<20)),
		"soakrun_tree_cpu_seconds_total 232\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "soakrun_cgroup_tasks ") {
		t.Error("the tasks of an earlier sample are served as now's")
	}
}

// A real Prometheus server scrapes soakrun on loopback, and the value comes
// back through its HTTP query API.
func TestRealPrometheusScrapes(t *testing.T) {
	e := New()
	addr, err := e.Serve("0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	e.Add(snapshot(float64(time.Now().Unix()), 42, 256, 0))

	web := promtest.Prometheus(t, fmt.Sprintf("  - job_name: soakrun\n    static_configs:\n      - targets: [%q]\n", addr))
	if v := promtest.WaitQuery(t, web, "soakrun_tree_processes"); v != "42" {
		t.Fatalf("Prometheus read soakrun_tree_processes = %s, want 42", v)
	}
	if v, ok := promtest.Query(web, "soakrun_tree_resident_memory_bytes"); !ok || v != "268435456" {
		t.Errorf("soakrun_tree_resident_memory_bytes = %s (%v), want 268435456", v, ok)
	}
}

// TestCloseReleasesThePort: Close stops serving and frees the address, a
// clean stop is no error, and a second Close does nothing.
func TestCloseReleasesThePort(t *testing.T) {
	e := New()
	addr, err := e.Serve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	scrape(t, addr)
	if err := e.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("address still held after Close: %v", err)
	}
	ln.Close()
}
