package sampler

import (
	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/samples"
)

// readCgroup puts the run's cgroup figures into the snapshot. A file that
// cannot be read leaves its figures out: the kernel's account is reported
// as far as it goes.
func readCgroup(r *cgroup.Reader, f *samples.Snapshot) {
	st, _ := r.Read()
	f.CgroupMemoryMB = mbOf(st.MemoryBytes)
	f.CgroupMemoryNoCacheMB = mbOf(st.NoCacheBytes())
	f.CgroupAnonMB = mbOf(st.AnonBytes)
	f.CgroupFileMB = mbOf(st.FileBytes)
	f.CgroupMemoryPeakMB = mbOf(st.PeakMemoryBytes)
	f.CgroupTasks = intOf(st.Tasks)
	f.CgroupTasksPeak = intOf(st.PeakTasks)
	f.CgroupIOReadBytes, f.CgroupIOWriteBytes = st.IOReadBytes, st.IOWriteBytes
	f.CgroupOOMKills = intOf(st.OOMKills)
	if st.CPU != nil {
		f.CgroupCPUSeconds = ptr(roundTo(st.CPU.Seconds(), 1e3))
	}
	if p := st.MemoryPressure; p != nil {
		f.CgroupMemoryPressureSome = pct(p.SomeAvg10)
		if p.HasFull {
			f.CgroupMemoryPressureFull = pct(p.FullAvg10)
		}
	}
	if p := st.CPUPressure; p != nil {
		f.CgroupCPUPressureSome = pct(p.SomeAvg10)
	}
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
