package sampler

import (
	"bufio"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/samples"
)

// A member whose children lived and died between two samples: their CPU
// is in the tree's CPU, through the member's account of the children it
// reaped, and then through the account of who reaped the member; within
// 5% of the load's own count.
func TestTreeCPUCountsTheDead(t *testing.T) {
	cmd := testproc.Command("fork-spin", "10", "100ms", "60s")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var reaped time.Duration
	var hasReaped bool
	smp := New(Config{Members: ownChildren, ReapedCPU: func() (time.Duration, bool) { return reaped, hasReaped }})
	defer smp.Close()
	hasReaped = true
	smp.Sample(samples.KindStart)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	var account time.Duration
	for sc.Scan() {
		if n, ok := strings.CutPrefix(sc.Text(), "account "); ok {
			ns, _ := strconv.ParseInt(n, 10, 64)
			account = time.Duration(ns)
		}
		if strings.HasPrefix(sc.Text(), "ready") {
			break
		}
	}
	if account < time.Second {
		t.Fatalf("the load counted %v of CPU for ten children of 100 ms", account)
	}
	alive := smp.Sample(samples.KindInterval)
	within5(t, "while the load lives", alive.ProcessCPUSeconds, account)

	cmd.Process.Kill()
	cmd.Wait()
	reaped = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	gone := smp.Sample(samples.KindInterval)
	within5(t, "once it is reaped", gone.ProcessCPUSeconds, reaped)
	if *gone.ProcessCPUSeconds < *alive.ProcessCPUSeconds {
		t.Errorf("the tree's CPU went down from %v to %v s", *alive.ProcessCPUSeconds, *gone.ProcessCPUSeconds)
	}
}

func within5(t *testing.T, when string, got *float64, want time.Duration) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: no tree CPU", when)
	}
	t.Logf("%s: tree CPU %.3f s, the load's own account %.3f s", when, *got, want.Seconds())
	if math.Abs(*got-want.Seconds()) > 0.05*want.Seconds() {
		t.Errorf("%s: tree CPU %.3f s, want %.3f s ± 5%%", when, *got, want.Seconds())
	}
}
