package evidence

import (
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// A process holding 64 MB of its own has them in its private bytes.
func TestPrivateBytesHoldWhatAProcessAllocated(t *testing.T) {
	cmd := testproc.Command("hold", "64", "1h")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	if _, err := testproc.WaitReady(stdout, 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	p, err := proc.Get(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	b := Measure([]proc.Process{p}, cgroup.Paths{}, 1)
	if len(b.Processes) != 1 {
		t.Fatal("no breakdown of the helper")
	}
	if got := b.Processes[0].Bytes[Private]; got < 64<<20 {
		t.Errorf("private bytes %d, want at least the 64 MB held", got)
	}
}
