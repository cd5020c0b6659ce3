package sampler_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/sampler"
	"github.com/soakrun/soakrun/samples"
)

// ownTree lists the processes descended from this one: the tree a sampler
// reads. A supervisor.Supervisor's Members method does the same for the
// tree it contains, following members that are reparented away.
func ownTree() ([]proc.Process, error) {
	all, err := proc.List()
	return proc.Descendants(all, os.Getpid()), err
}

// Sampling a tree: one snapshot of a child holding 64 MB, summed over the
// tree with the host's figures beside it.
func ExampleSampler_Sample() {
	child := testproc.Command("hold", "64", "1m")
	out, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		fmt.Println(err)
		return
	}
	defer func() { child.Process.Kill(); child.Wait() }()
	if _, err := testproc.WaitReady(out, 1, time.Minute); err != nil {
		fmt.Println(err)
		return
	}

	smp := sampler.New(sampler.Config{Members: ownTree, Top: 1})
	s := smp.Sample(samples.KindStart)
	fmt.Printf("%d process, at least 64 MB: %v, largest is the child: %v\n",
		*s.ProcessCount, *s.ProcessMemoryMB >= 64, s.Top[0].PID == child.Process.Pid)
	// Output: 1 process, at least 64 MB: true, largest is the child: true
}

// counter is a sink that counts the samples of each kind.
type counter map[string]int

func (c counter) Add(s *samples.Snapshot) { c[s.Kind]++ }

// A pipeline hands every snapshot to its sinks in order, here a JSONL file
// and a counter, from Start until Close, which takes the exit sample and
// closes the file.
func ExampleNewPipeline() {
	dir, _ := os.MkdirTemp("", "soakrun-example")
	defer os.RemoveAll(dir)
	out, err := samples.Create(filepath.Join(dir, "resources.jsonl"))
	if err != nil {
		fmt.Println(err)
		return
	}
	kinds := counter{}
	p := sampler.NewPipeline(sampler.Config{Members: ownTree}, time.Hour, out, kinds)
	p.Start()
	if err := p.Close(); err != nil {
		fmt.Println(err)
	}
	written, _, _ := out.Stats()
	fmt.Printf("%d start, %d exit, %d lines written\n", kinds[samples.KindStart], kinds[samples.KindExit], written)
	// Output: 1 start, 1 exit, 2 lines written
}
