package sampler

import (
	"testing"
	"time"
)

func TestSelfUsage(t *testing.T) {
	before, err := SelfUsage()
	if err != nil {
		t.Fatal(err)
	}
	// Touch 64 MB and burn some CPU: both must show.
	b := make([]byte, 64<<20)
	for i := range b {
		b[i] = byte(i)
	}
	for end := time.Now().Add(100 * time.Millisecond); time.Now().Before(end); {
	}
	after, err := SelfUsage()
	if err != nil {
		t.Fatal(err)
	}
	if after.PeakRSSBytes < 64<<20 || after.PeakRSSBytes < before.PeakRSSBytes {
		t.Errorf("peak RSS %d after touching 64 MB (before: %d)", after.PeakRSSBytes, before.PeakRSSBytes)
	}
	if after.CPU-before.CPU < 50*time.Millisecond {
		t.Errorf("CPU grew %s over 100 ms of spinning", after.CPU-before.CPU)
	}
	_ = b[len(b)-1]
}
