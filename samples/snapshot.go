package samples

// Kinds of sample, in the snapshot's "sample" field.
const (
	KindStart    = "start"
	KindInterval = "interval"
	KindExit     = "exit"
	// KindStopping marks a sample taken while the tree was being stopped:
	// its figures describe processes being killed, not the workload.
	KindStopping = "stopping"
)

// Snapshot is one line of the JSONL output: the host and the sum over every
// live member of the supervised tree at one instant. Field names are the old
// psutil monitor's, so files stay readable by the same pandas and jq code.
// A metric that could not be read is nil and is written as null, never as 0.
type Snapshot struct {
	TimestampUTC  string  `json:"timestamp_utc"`  // RFC 3339, microseconds, UTC
	TimestampUnix float64 `json:"timestamp_unix"` // seconds since the epoch
	// Kind is "start", "interval", "stopping" (taken while the tree was
	// being stopped) or "exit" (taken once the tree is gone, so its
	// process_* figures describe an empty tree).
	Kind string `json:"sample,omitempty"`

	// Host.
	CPUPercent        *float64 `json:"cpu_percent"`
	CPUCount          *int     `json:"cpu_count"`
	CPUFreqMHz        *float64 `json:"cpu_freq_mhz"`
	MemoryTotalMB     *float64 `json:"memory_total_mb"`
	MemoryUsedMB      *float64 `json:"memory_used_mb"`
	MemoryAvailableMB *float64 `json:"memory_available_mb"`
	MemoryPercent     *float64 `json:"memory_percent"`
	DiskTotalGB       *float64 `json:"disk_total_gb"`
	DiskUsedGB        *float64 `json:"disk_used_gb"`
	DiskFreeGB        *float64 `json:"disk_free_gb"`
	DiskPercent       *float64 `json:"disk_percent"`
	NetworkBytesSent  *uint64  `json:"network_bytes_sent"`
	NetworkBytesRecv  *uint64  `json:"network_bytes_recv"`
	Hostname          string   `json:"hostname"`
	Platform          string   `json:"platform"`
	SoakrunVersion    string   `json:"soakrun_version"`

	// The whole target tree, summed over live members.
	ProcessCPUPercent    *float64 `json:"process_cpu_percent"`
	ProcessMemoryMB      *float64 `json:"process_memory_mb"` // RSS sum
	ProcessMemoryPercent *float64 `json:"process_memory_percent"`
	ProcessThreads       *int     `json:"process_threads"`
	ProcessCount         *int     `json:"process_count"`
	ProcessHandles       *int     `json:"process_handles"` // open fds on Unix, handles on Windows
	ProcessZombies       *int     `json:"process_zombies"`
	ProcessIOReadBytes   *uint64  `json:"process_io_read_bytes"`
	ProcessIOWriteBytes  *uint64  `json:"process_io_write_bytes"`
	// ProcessCPUSeconds is the CPU the tree has used since it started, the
	// dead included: live members, the children they reaped and the
	// orphans soakrun reaped. Absent where the platform cannot tell.
	ProcessCPUSeconds *float64 `json:"process_cpu_seconds,omitempty"`
	// ProcessPSSMB is the tree's proportional set size (each shared page
	// divided among its sharers), read every few samples on Linux when no
	// cgroup ran (see Config.PSSEvery); absent on the others.
	ProcessPSSMB *float64 `json:"process_pss_mb,omitempty"`
	// ProcessUnread counts members this sample could not read for want of
	// file descriptors (EMFILE, ENFILE; at least that many: a member's
	// unread children may be unseen too). The process_* figures then sum
	// the members read, a smaller tree than the real one, and the verdict
	// leaves them out. Absent when every member was read.
	ProcessUnread *int `json:"process_unread,omitempty"`

	// The kernel's account of the run's cgroup (see cgroup.Stat), where
	// one ran: absent when none ran, and each figure absent where its file
	// is missing.
	CgroupMemoryMB *float64 `json:"cgroup_memory_mb,omitempty"` // the charge: anon, page cache and kernel memory
	// CgroupMemoryNoCacheMB is the charge less reclaimable page cache:
	// what the verdict judges when a cgroup ran.
	CgroupMemoryNoCacheMB *float64 `json:"cgroup_memory_nocache_mb,omitempty"`
	CgroupAnonMB          *float64 `json:"cgroup_anon_mb,omitempty"`
	CgroupFileMB          *float64 `json:"cgroup_file_mb,omitempty"`        // page cache, tmpfs included
	CgroupMemoryPeakMB    *float64 `json:"cgroup_memory_peak_mb,omitempty"` // the largest charge so far
	CgroupTasks           *int     `json:"cgroup_tasks,omitempty"`          // threads included
	CgroupTasksPeak       *int     `json:"cgroup_tasks_peak,omitempty"`
	CgroupCPUSeconds      *float64 `json:"cgroup_cpu_seconds,omitempty"` // every task that ever ran in it
	CgroupIOReadBytes     *uint64  `json:"cgroup_io_read_bytes,omitempty"`
	CgroupIOWriteBytes    *uint64  `json:"cgroup_io_write_bytes,omitempty"`
	CgroupOOMKills        *int     `json:"cgroup_oom_kills,omitempty"` // members the OOM killer killed so far
	// Pressure stall information: the share of the last ten seconds, in
	// percent, in which some (or all) of the tasks waited for memory or CPU.
	CgroupMemoryPressureSome *float64 `json:"cgroup_memory_pressure_some_avg10,omitempty"`
	CgroupMemoryPressureFull *float64 `json:"cgroup_memory_pressure_full_avg10,omitempty"`
	CgroupCPUPressureSome    *float64 `json:"cgroup_cpu_pressure_some_avg10,omitempty"`

	// soakrun's own cost so far: what watching takes, and the figures
	// soakrun's self-soak test judges.
	SoakrunCPUSeconds *float64 `json:"soakrun_cpu_seconds"`
	SoakrunRSSMB      *float64 `json:"soakrun_rss_mb"`
	SoakrunGoroutines int      `json:"soakrun_goroutines"`
	SoakrunHandles    *int     `json:"soakrun_handles"`

	// JobPeakMemoryMB is the most memory the tree held at once so far, from
	// the Windows job's own account; absent elsewhere.
	JobPeakMemoryMB *float64 `json:"job_peak_memory_mb,omitempty"`

	// Top lists, when --top is on, the N largest members by memory, largest
	// first, then any member among the N largest by handles, threads or CPU
	// that is not listed yet.
	Top []Member `json:"top,omitempty"`
}

// Member is one process of the tree as listed under --top. Name is the
// executable name; a figure that could not be read is null, as in the
// snapshot; the command line is left out unless asked for, because
// command lines carry secrets.
type Member struct {
	PID        int      `json:"pid"`
	Name       string   `json:"name"`
	RSSMB      float64  `json:"rss_mb"`
	CPUPercent *float64 `json:"cpu_percent"`
	Threads    *int     `json:"threads"`
	Handles    *int     `json:"handles"` // open fds on Unix, handles on Windows
	// IOWriteBytes is what the member has written to storage since it
	// started (process_io_write_bytes of one member): what names the
	// writer when the disk fills. Absent where it could not be read.
	IOWriteBytes *uint64 `json:"io_write_bytes,omitempty"`
	// Cmdline is recorded only with --record-cmdline, with the values of
	// secret-looking arguments redacted (see Redact).
	Cmdline string `json:"cmdline,omitempty"`
}
