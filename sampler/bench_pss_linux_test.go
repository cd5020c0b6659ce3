package sampler

import "testing"

// BenchmarkTreePSS is one sweep of smaps_rollup over a tree: the kernel
// walks each member's page tables, so it costs by the memory mapped. Its
// cost bounds how often the sampler reads it (PSSBudget).
func BenchmarkTreePSS(b *testing.B) {
	for _, tc := range []struct {
		name string
		mbs  []int
	}{{"one 300 MB process", []int{300}}, {"100 small processes", make([]int, 100)}} {
		b.Run(tc.name, func(b *testing.B) {
			startHolders(b, tc.mbs...)
			members, err := ownChildren()
			if err != nil || len(members) < len(tc.mbs) {
				b.Fatalf("%d members, %v", len(members), err)
			}
			for b.Loop() {
				if _, ok, _ := treePSS(members); !ok {
					b.Fatal("PSS unreadable")
				}
			}
			_, _, cost := treePSS(members)
			b.ReportMetric(float64(cost.Microseconds()), "cpu-µs/sweep")
			b.ReportMetric(float64(cost)/PSSBudget/1e9, "s-between-sweeps")
		})
	}
}
