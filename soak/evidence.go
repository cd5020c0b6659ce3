package soak

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/soakrun/soakrun/evidence"
	"github.com/soakrun/soakrun/limit"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/samples"
	"github.com/soakrun/soakrun/supervisor"
)

// EvidenceDir is where the evidence of the run with samples at output
// goes: resources.jsonl → resources.evidence.
func EvidenceDir(output string) string {
	return strings.TrimSuffix(output, ".jsonl") + ".evidence"
}

// recorder keeps what says where the tree's memory went: a breakdown at
// the end of the warm-up, others as the run goes on (each when the run is
// half as long again as at the last, so a few dozen over 72 hours), and
// the evidence of the two moments that matter, the first suspicion of a
// leak and the moment before the stop, with the user's hooks run then.
type recorder struct {
	sup      *supervisor.Supervisor
	dir      string
	o        Evidence
	baseFrom time.Duration // after the start: the end of the warm-up
	logf     func(string, ...any)

	mu       sync.Mutex
	started  time.Time
	nextAt   time.Time
	baseline *evidence.Breakdown
	latest   *evidence.Breakdown
	taken    []string
	hooks    sync.WaitGroup
}

func newRecorder(sup *supervisor.Supervisor, output string, o Evidence, warmup, timeout time.Duration, logf func(string, ...any)) *recorder {
	base := warmup
	if base < 0 { // auto: the analysis's default, a tenth of the run
		base = time.Minute
		if timeout > 0 {
			base = min(timeout/10, time.Hour)
		}
	}
	return &recorder{sup: sup, dir: EvidenceDir(output), o: o, baseFrom: base, logf: logf}
}

// Add takes the breakdowns when they are due; a sink of the sample stream.
func (r *recorder) Add(snap *samples.Snapshot) {
	if snap.Kind != samples.KindStart && snap.Kind != samples.KindInterval {
		return
	}
	now := time.Now()
	r.mu.Lock()
	if r.started.IsZero() {
		r.started, r.nextAt = now, now.Add(r.baseFrom)
	}
	due := !now.Before(r.nextAt)
	r.mu.Unlock()
	if !due {
		return
	}
	members, _ := r.sup.Members()
	b := evidence.Measure(members, r.sup.CgroupPaths(), evidence.Largest)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.baseline == nil {
		r.baseline = &b
	}
	r.latest = &b
	r.nextAt = now.Add(now.Sub(r.started) / 2)
}

// suspect takes the evidence of the first suspicion of a leak, off the
// sampling goroutine.
func (r *recorder) suspect(st limit.Trigger) {
	members, _ := r.sup.Members()
	r.hooks.Add(1)
	go func() {
		defer r.hooks.Done()
		r.take("suspect", "the live series was judged leaking: "+st.Reason, supervisor.Live(members), r.o.OnSuspect)
	}()
}

// beforeStop takes the evidence of the moment before the stop's first
// signal.
func (r *recorder) beforeStop(members []proc.Process) {
	r.take("before-stop", "before the stop", members, r.o.BeforeStop)
}

// take writes one moment's evidence and runs its hook.
func (r *recorder) take(moment, why string, members []proc.Process, hook string) {
	dir := filepath.Join(r.dir, moment)
	b, err := evidence.Take(dir, members, r.sup.CgroupPaths())
	if err != nil {
		r.logf("%v", err)
	}
	if u := r.sup.User; u != nil {
		// The hook, run as the user, writes beside the evidence.
		if err := u.Chown(r.dir); err != nil {
			r.logf("%v", err)
		}
	}
	r.mu.Lock()
	if r.baseline != nil {
		r.latest = &b
	}
	r.taken = append(r.taken, dir)
	r.mu.Unlock()
	r.logf("%s: evidence of %d process(es) in %s", why, len(members), dir)
	if hook != "" {
		r.runHook(moment, hook, dir, members)
	}
}

// runHook runs a user's command beside the tree, with the moment's facts in
// its environment and its output kept in dir.
func (r *recorder) runHook(moment, hook, dir string, members []proc.Process) {
	out, err := os.Create(filepath.Join(dir, moment+".out"))
	if err != nil {
		r.logf("--%s: %v", moment, err)
		return
	}
	defer out.Close()
	pids := make([]string, len(members))
	for i, m := range members {
		pids[i] = strconv.Itoa(m.PID)
	}
	top := slices.MaxFunc(append([]proc.Process{{}}, members...), func(a, b proc.Process) int { return cmp.Compare(a.RSSBytes, b.RSSBytes) })
	cmd := shellCommand(hook)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(),
		"SOAKRUN_MOMENT="+moment,
		"SOAKRUN_EVIDENCE_DIR="+dir,
		"SOAKRUN_PIDS="+strings.Join(pids, " "),
		"SOAKRUN_TOP_PID="+strconv.Itoa(top.PID),
		"SOAKRUN_TOP_NAME="+top.Name,
	)
	start := time.Now()
	code, err := r.sup.RunAside(cmd, r.o.HookTimeout)
	if err != nil {
		r.logf("--%s: %v; its output is in %s", moment, err, out.Name())
		return
	}
	r.logf("--%s exited %d after %s; its output is in %s", moment, code, time.Since(start).Round(time.Millisecond), out.Name())
}

// memoryWent compares the first breakdown with the last: the processes
// that grew most (those the analysis names as growers first), and the
// cgroup.
func (r *recorder) memoryWent(a *report.Analysis) *report.MemoryWent {
	r.hooks.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.baseline == nil || r.latest == nil || r.latest == r.baseline && len(r.taken) == 0 {
		return nil
	}
	w := &report.MemoryWent{FromUnix: r.baseline.At, ToUnix: r.latest.At, Cgroup: evidence.CgroupGrew(r.baseline.Cgroup, r.latest.Cgroup), Evidence: slices.Clone(r.taken)}
	named := map[string]bool{}
	for _, g := range a.TopGrowers[report.TreeMemory] {
		named[g.Name] = true
	}
	var gs []evidence.Growth
	for _, now := range r.latest.Processes {
		was := evidence.Process{}
		for _, p := range r.baseline.Processes {
			if p.PID == now.PID && p.Start == now.Start {
				was = p
			}
		}
		if g := evidence.Grew(was, now); g.Total() >= 1<<20 {
			gs = append(gs, g)
		}
	}
	slices.SortStableFunc(gs, func(a, b evidence.Growth) int {
		if named[a.Name] != named[b.Name] {
			if named[a.Name] {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Total(), a.Total())
	})
	// The three that grew most, leaving out those that grew less than a
	// tenth of the most: a runtime's start-up is not where a leak went.
	for i, g := range gs[:min(len(gs), 3)] {
		if i > 0 && g.Total() < gs[0].Total()/10 {
			break
		}
		w.Processes = append(w.Processes, g.String())
	}
	return w
}
