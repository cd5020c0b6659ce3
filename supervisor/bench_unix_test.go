//go:build linux || darwin

package supervisor

import (
	"testing"
	"time"
)

// BenchmarkSuperviseTrue is the whole cost of one supervised run of
// /bin/true: start, containment, reaping, the check for leftovers, return.
func BenchmarkSuperviseTrue(b *testing.B) {
	for b.Loop() {
		s := &Supervisor{Args: []string{"/bin/true"}}
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
func BenchmarkTimeoutToEmpty(b *testing.B) {
	var total time.Duration
	for b.Loop() {
		s := &Supervisor{Args: []string{"/bin/sleep", "60"}, Timeout: 50 * time.Millisecond}
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
