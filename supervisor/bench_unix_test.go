//go:build linux || darwin

package supervisor

import (
	"testing"
	"time"
)

// eachMode runs f with a cgroup (where this host gives one) and with the
// process group alone.
func eachMode(b *testing.B, f func(b *testing.B, mode CgroupMode)) {
	b.Run("cgroup", func(b *testing.B) { f(b, CgroupAuto) })
	b.Run("process-group", func(b *testing.B) { f(b, CgroupOff) })
}

// BenchmarkSuperviseTrue is the whole cost of one supervised run of
// /bin/true: start, containment (making and removing the cgroup too),
// reaping, the check for leftovers, return.
func BenchmarkSuperviseTrue(b *testing.B) { eachMode(b, superviseTrue) }

func superviseTrue(b *testing.B, mode CgroupMode) {
	for b.Loop() {
		s := &Supervisor{Args: []string{"/bin/true"}, Cgroup: mode}
		if err := s.Start(); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Wait(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTimeoutToEmpty measures how long after the timeout the run
// returns for a tree that obeys the first signal: the promptness the
// README quotes.
func BenchmarkTimeoutToEmpty(b *testing.B) { eachMode(b, timeoutToEmpty) }

func timeoutToEmpty(b *testing.B, mode CgroupMode) {
	var total time.Duration
	for b.Loop() {
		s := &Supervisor{Args: []string{"/bin/sleep", "60"}, Timeout: 50 * time.Millisecond, Cgroup: mode}
		if err := s.Start(); err != nil {
			b.Fatal(err)
		}
		res, err := s.Wait()
		if err != nil {
			b.Fatal(err)
		}
		total += res.Ended.Sub(res.TimeoutAt)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms-timeout-to-return")
}
