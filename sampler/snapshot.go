// Package sampler reads the supervised tree and the host at an interval
// into snapshots, one JSONL line each. It only reads.

package sampler

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
	// Cmdline is recorded only with --record-cmdline, with the values of
	// secret-looking arguments redacted (see Redact).
	Cmdline string `json:"cmdline,omitempty"`
}
