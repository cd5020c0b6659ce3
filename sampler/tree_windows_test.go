package sampler

import (
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/samples"
)

// The tree's figures on Windows come from gopsutil's per-process reads
// (working set, handles, threads, I/O) of the job's members.
func TestTreeSumsRealMembersWindows(t *testing.T) {
	startHolders(t, 40, 60)
	smp := New(Config{Members: ownChildren, Top: 1})
	smp.Sample(samples.KindStart)
	s := smp.Sample(samples.KindInterval)
	if s.ProcessCount == nil || *s.ProcessCount != 2 {
		t.Fatalf("count %v, want 2", s.ProcessCount)
	}
	if s.ProcessMemoryMB == nil || *s.ProcessMemoryMB < 100 {
		t.Errorf("tree working set %v MB, want at least the 100 MB held", s.ProcessMemoryMB)
	}
	if s.ProcessHandles == nil || s.ProcessThreads == nil || *s.ProcessThreads < 2 {
		t.Fatalf("handles %v threads %v", s.ProcessHandles, s.ProcessThreads)
	}
	if *s.ProcessHandles < 2 && !testproc.UnderWine() {
		t.Errorf("%d handles in two processes", *s.ProcessHandles)
	}
	if s.ProcessCPUPercent == nil {
		t.Error("tree CPU is null on the second sample")
	}
	if len(s.Top) < 1 || s.Top[0].RSSMB < 60 || s.Top[0].Threads == nil {
		t.Errorf("top %+v, want the 60 MB holder", s.Top)
	}
}
