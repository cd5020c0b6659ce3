package sampler

import (
	"context"
	"runtime"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/samples"
)

// MinInterval is the shortest interval a Sampler accepts.
const MinInterval = 50 * time.Millisecond

// Config says what a Sampler reads.
type Config struct {
	// Members lists the tree now, zombies included; nil samples the host
	// only.
	Members func() ([]proc.Process, error)
	// DiskPath names the filesystem whose usage is reported.
	DiskPath string
	// Top is how many of the largest members each snapshot lists (0: none).
	Top int
	// RecordCmdline adds each listed member's command line, redacted.
	RecordCmdline bool
	// Version is written into every snapshot.
	Version string
	// Stopping, if set, tells whether the tree is being stopped.
	Stopping func() bool
	// PeakMemory, if set, reads the tree's peak memory in bytes where the
	// container keeps it (a Windows job).
	PeakMemory func() (uint64, bool)
	// Cgroup, if set, names the run's cgroup; a zero Paths means there is
	// none (yet: it is asked again at each sample until there is). Its
	// figures go into every snapshot, one read per file.
	Cgroup func() cgroup.Paths
	// ReapedCPU, if set, is the CPU time of the tree's processes that
	// soakrun itself reaped (the command and orphans; see
	// supervisor.Supervisor.ReapedCPU). It is added to the tree's CPU, as
	// the CPU of the children a member reaped is.
	ReapedCPU func() (time.Duration, bool)
}

// Sampler takes snapshots of the host and a tree. It is not safe for
// concurrent use: one goroutine (Run's) owns it.
type Sampler struct {
	cfg    Config
	host   *hostReader
	tree   *treeReader
	cgroup *cgroup.Reader // nil until the run's cgroup is known
	pss    pssSchedule
	// nextWalk is when the members are read next, where a cgroup ran
	// (see TreeWalkBudget); interval is Run's.
	nextWalk time.Time
	interval time.Duration
}

// New prepares a sampler. It reads the host's fixed facts and the CPU
// counters' baseline now, so call it before the command starts.
func New(cfg Config) *Sampler {
	if cfg.DiskPath == "" {
		cfg.DiskPath = "."
	}
	return &Sampler{cfg: cfg, host: newHostReader(cfg.DiskPath), tree: newTreeReader()}
}

// Sample takes one snapshot. Figures that cannot be read are nil.
func (s *Sampler) Sample(kind string) samples.Snapshot {
	now := time.Now()
	if kind == samples.KindInterval && s.cfg.Stopping != nil && s.cfg.Stopping() {
		kind = samples.KindStopping
	}
	snap := samples.Snapshot{
		TimestampUTC:   now.UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
		TimestampUnix:  float64(now.UnixMicro()) / 1e6,
		Kind:           kind,
		SoakrunVersion: s.cfg.Version,
	}
	s.host.read(&snap, now)
	if s.cfg.Members != nil && s.walkDue(kind, now) {
		s.walk(&snap, kind, now)
	}
	if r := s.cgroupReader(); r != nil {
		readCgroup(r, &snap)
	}
	s.self(&snap)
	if s.cfg.PeakMemory != nil {
		if n, ok := s.cfg.PeakMemory(); ok {
			snap.JobPeakMemoryMB = mb(n)
		}
	}
	return snap
}

// TreeWalkBudget is the share of one core that reading the tree's members
// may take where a cgroup ran. The kernel then keeps the tree's totals,
// read every sample at the same cost for one member or thousands; the
// members themselves are read only for what they alone can say (the RSS
// sum, threads, fds, the top list). A walk that costs less than
// cheapWalk is repeated every sample; a dearer one waits as long as the
// budget asks: a walk of 500 busy members that took 10 ms of CPU waits 5 s
// before the next. The start's walk, which opens every member's files
// once, does not count. Without a cgroup, and at intervals under a second
// (which ask for every figure at every sample), every sample walks the
// tree.
const TreeWalkBudget = 0.002

// cheapWalk is the CPU a walk may cost and still be repeated every
// sample: a hundred sleeping members, or a few busy ones.
const cheapWalk = 2 * time.Millisecond

// walkDue says whether this sample reads the members: always without a
// cgroup, and for the start, stopping and exit samples, which mark the
// run's ends.
func (s *Sampler) walkDue(kind string, now time.Time) bool {
	return kind != samples.KindInterval || s.cgroupReader() == nil || s.interval < time.Second || !now.Before(s.nextWalk)
}

// walk reads the members into the snapshot, and with a cgroup sets when
// the next walk is due.
func (s *Sampler) walk(snap *samples.Snapshot, kind string, now time.Time) {
	cost := cpuOf(func() {
		// A listing that could not read every member still gives the
		// rest; the snapshot says how many it missed.
		if members, err := s.cfg.Members(); err == nil || proc.Unread(err) > 0 {
			if n := proc.Unread(err); n > 0 {
				snap.ProcessUnread = ptr(n)
			}
			var reaped *time.Duration
			if s.cfg.ReapedCPU != nil {
				if d, ok := s.cfg.ReapedCPU(); ok {
					reaped = &d
				}
			}
			s.tree.sum(snap, members, now, s.cfg.Top, snap.MemoryTotalMB, reaped)
			if s.cgroupReader() == nil {
				snap.ProcessPSSMB = s.pss.read(members, now)
			}
		}
		if s.cfg.RecordCmdline {
			for i := range snap.Top {
				if args, ok := cmdline(snap.Top[i].PID); ok {
					snap.Top[i].Cmdline = Redact(args)
				}
			}
		}
	})
	if s.cgroupReader() != nil && kind != samples.KindStart && cost >= cheapWalk {
		s.nextWalk = now.Add(time.Duration(float64(cost) / TreeWalkBudget))
	}
}

// Close lets go of the files the sampler keeps open. The Sampler must not
// be used after.
func (s *Sampler) Close() error {
	if s.cgroup != nil {
		return s.cgroup.Close()
	}
	return nil
}

// cgroupReader is the reader of the run's cgroup, once there is one.
func (s *Sampler) cgroupReader() *cgroup.Reader {
	if s.cgroup == nil && s.cfg.Cgroup != nil {
		if p := s.cfg.Cgroup(); p != (cgroup.Paths{}) {
			s.cgroup = cgroup.NewReader(p)
			// The kernel keeps the totals now: members are read only for
			// what they alone can say.
			if l, ok := s.tree.usage.(interface{ beLean() }); ok {
				l.beLean()
			}
		}
	}
	return s.cgroup
}

// Run samples at start, then every interval, then once more when ctx is
// done, handing each snapshot to emit on Run's own goroutine. A sample that
// takes longer than the interval delays the next one rather than piling
// samples up. emit must not block for long: it delays the next sample.
func (s *Sampler) Run(ctx context.Context, interval time.Duration, emit func(samples.Snapshot)) {
	if interval < MinInterval {
		interval = MinInterval
	}
	s.interval = interval
	emit(s.Sample(samples.KindStart))
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			emit(s.Sample(samples.KindExit))
			return
		case <-tick.C:
			emit(s.Sample(samples.KindInterval))
		}
	}
}

// self adds soakrun's own usage to the snapshot.
func (s *Sampler) self(snap *samples.Snapshot) {
	if u, err := SelfUsage(); err == nil {
		snap.SoakrunCPUSeconds = ptr(roundTo(u.CPU.Seconds(), 1e3))
	}
	rss, fds := selfNow()
	if rss != nil {
		snap.SoakrunRSSMB = mb(*rss)
	}
	snap.SoakrunHandles = fds
	snap.SoakrunGoroutines = runtime.NumGoroutine()
}
