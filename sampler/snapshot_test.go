package sampler

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/samples"
)

// The psutil monitor's fields and soakrun's tree fields: every line has all of
// them, null where unknown.
var hostFields = []string{
	"timestamp_utc", "timestamp_unix", "cpu_percent", "cpu_count", "cpu_freq_mhz",
	"memory_total_mb", "memory_used_mb", "memory_available_mb", "memory_percent",
	"disk_total_gb", "disk_used_gb", "disk_free_gb", "disk_percent",
	"network_bytes_sent", "network_bytes_recv", "hostname", "platform", "soakrun_version",
}

var treeFields = []string{
	"process_cpu_percent", "process_memory_mb", "process_memory_percent", "process_threads",
	"process_count", "process_handles", "process_zombies", "process_io_read_bytes", "process_io_write_bytes",
}

func decode(t *testing.T, s samples.Snapshot) map[string]any {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSnapshotHostOnlyHasNullTree(t *testing.T) {
	smp := New(Config{Version: "test", DiskPath: testproc.TempDir(t)})
	m := decode(t, smp.Sample(samples.KindStart))
	for _, k := range append(hostFields, treeFields...) {
		if _, ok := m[k]; !ok {
			t.Errorf("field %s missing", k)
		}
	}
	for _, k := range treeFields {
		if m[k] != nil {
			t.Errorf("%s = %v without a tree, want null", k, m[k])
		}
	}
	for _, k := range []string{"memory_total_mb", "memory_used_mb", "disk_total_gb", "cpu_count"} {
		if v, ok := m[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want a positive number", k, m[k])
		}
	}
	if m["soakrun_version"] != "test" || m["sample"] != samples.KindStart {
		t.Errorf("version %v, kind %v", m["soakrun_version"], m["sample"])
	}
	if _, ok := m["top"]; ok {
		t.Error("top listed without --top")
	}
}

func TestSnapshotCPUNeedsTwoReads(t *testing.T) {
	smp := New(Config{Members: ownChildren})
	first := smp.Sample(samples.KindStart)
	if first.ProcessCPUPercent != nil {
		t.Errorf("first sample's tree CPU = %v, want null (no previous read)", *first.ProcessCPUPercent)
	}
	second := smp.Sample(samples.KindInterval)
	if second.ProcessCPUPercent == nil {
		t.Error("second sample's tree CPU is null")
	}
}

func TestUnreadableMemberMakesSumNull(t *testing.T) {
	tr := newTreeReader()
	tr.usage = usageFunc(func(p proc.Process) usage {
		if p.PID == 2 {
			return usage{HasCPU: true, HasThreads: true} // RSS, fds and I/O unreadable
		}
		return usage{HasCPU: true, HasRSS: true, RSSBytes: 1 << 20, HasThreads: true, Threads: 1, HasHandles: true, Handles: 3, HasIO: true}
	})
	var s samples.Snapshot
	members := []proc.Process{{Identity: proc.Identity{PID: 1}}, {Identity: proc.Identity{PID: 2}}, {Identity: proc.Identity{PID: 3}, Zombie: true}}
	tr.sum(&s, members, tr.prevAt, 0, nil, nil)
	if s.ProcessMemoryMB != nil || s.ProcessHandles != nil || s.ProcessIOReadBytes != nil {
		t.Errorf("memory %v, handles %v, io %v: want null when a member cannot be read", s.ProcessMemoryMB, s.ProcessHandles, s.ProcessIOReadBytes)
	}
	if s.ProcessThreads == nil || *s.ProcessThreads != 1 || *s.ProcessCount != 2 || *s.ProcessZombies != 1 {
		t.Errorf("threads %v count %v zombies %v", s.ProcessThreads, *s.ProcessCount, *s.ProcessZombies)
	}
}

// ownChildren is the test binary's process tree below itself.
func ownChildren() ([]proc.Process, error) {
	all, err := proc.List()
	if err != nil {
		return nil, err
	}
	return proc.Descendants(all, os.Getpid()), nil
}

func TestTopKeepsTheLargestFirstAndTiesInListingOrder(t *testing.T) {
	top := topN{n: 3}
	for i, rss := range []uint64{5, 9, 9, 1, 12, 9} {
		if top.wants(rss) {
			top.add(samples.Member{PID: i}, rss)
		}
	}
	var got []int
	for _, m := range top.members {
		got = append(got, m.PID)
	}
	if !slices.Equal(got, []int{4, 1, 2}) {
		t.Errorf("top 3 are pids %v, want [4 1 2]: 12, then the first two nines", got)
	}
	if none := (topN{}); none.wants(100) {
		t.Error("a top of 0 wants members")
	}
}
