package limit_test

import (
	"fmt"

	"github.com/soakrun/soakrun/limit"
	"github.com/soakrun/soakrun/samples"
)

// A Watch is a sink of the sample stream: it tells Stop, once, why the run
// must end. A supervised run passes Stop on to Supervisor.Abort.
func ExampleWatch() {
	w := &limit.Watch{
		Ceilings:  limit.Ceilings{TreeMemoryBytes: 2 << 30, Processes: 500},
		OnTrigger: func(s limit.Trigger) { fmt.Println(s.Reason) },
	}
	mb, n, zombies := 2100.0, 12, 0
	w.Add(&samples.Snapshot{Kind: samples.KindInterval, ProcessMemoryMB: &mb, ProcessCount: &n, ProcessZombies: &zombies})
	w.Add(&samples.Snapshot{Kind: samples.KindInterval, ProcessMemoryMB: &mb, ProcessCount: &n, ProcessZombies: &zombies})
	// Output: tree memory 2100.0 MB (RSS sum) is over the ceiling of 2048.0 MB
}
