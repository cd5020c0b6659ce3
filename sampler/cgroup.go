package sampler

import "github.com/soakrun/soakrun/cgroup"

// cgroupFigures reads the run's cgroup into a snapshot's figures. A file
// that cannot be read leaves its figures null: the kernel's account is
// reported as far as it goes.
func cgroupFigures(r *cgroup.Reader) *CgroupFigures {
	st, _ := r.Read()
	f := &CgroupFigures{
		MemoryMB:        mbOf(st.MemoryBytes),
		MemoryNoCacheMB: mbOf(st.NoCacheBytes()),
		AnonMB:          mbOf(st.AnonBytes),
		FileMB:          mbOf(st.FileBytes),
		MemoryPeakMB:    mbOf(st.PeakMemoryBytes),
		Tasks:           intOf(st.Tasks),
		TasksPeak:       intOf(st.PeakTasks),
		IOReadBytes:     st.IOReadBytes,
		IOWriteBytes:    st.IOWriteBytes,
		OOMKills:        intOf(st.OOMKills),
	}
	if st.CPU != nil {
		f.CPUSeconds = ptr(roundTo(st.CPU.Seconds(), 1e3))
	}
	if p := st.MemoryPressure; p != nil {
		f.MemoryPressureSome = pct(p.SomeAvg10)
		if p.HasFull {
			f.MemoryPressureFull = pct(p.FullAvg10)
		}
	}
	if p := st.CPUPressure; p != nil {
		f.CPUPressureSome = pct(p.SomeAvg10)
	}
	return f
}

func mbOf(b *uint64) *float64 {
	if b == nil {
		return nil
	}
	return mb(*b)
}

func intOf(n *uint64) *int {
	if n == nil {
		return nil
	}
	return ptr(int(*n))
}
