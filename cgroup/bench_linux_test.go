package cgroup_test

import (
	"fmt"
	"testing"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/internal/testproc"
)

// BenchmarkRead is one read of every figure of a cgroup holding n
// processes: the kernel keeps the totals, so it costs the same for one
// member as for five hundred.
func BenchmarkRead(b *testing.B) {
	for _, n := range []int{1, 500} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			p := testproc.Cgroup(b)
			for range n {
				cmd := testproc.Command(joinIn(p, "sleep", "10m")...)
				testproc.Start(b, cmd, 1, nil)
			}
			r := cgroup.NewReader(p)
			defer r.Close()
			s, err := r.Read()
			if err != nil || s.Tasks == nil || *s.Tasks < uint64(n) {
				b.Fatalf("tasks %v, %v", s.Tasks, err)
			}
			for b.Loop() {
				r.Read()
			}
		})
	}
}
