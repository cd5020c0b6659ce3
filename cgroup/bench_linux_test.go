package cgroup_test

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/soakrun/soakrun/cgroup"
)

// BenchmarkCreateRemove is what a cgroup adds to a run's start and end:
// making the directory in every hierarchy, opening the v2 one, and
// removing them.
func BenchmarkCreateRemove(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		g, err := cgroup.Create(cgroup.Host{}, fmt.Sprintf("soakrun-bench-%d-%d", os.Getpid(), i))
		if errors.Is(err, cgroup.ErrUnavailable) {
			b.Skipf("no cgroup here: %v", err)
		}
		if err != nil {
			b.Fatal(err)
		}
		if err := g.Remove(); err != nil {
			b.Fatal(err)
		}
	}
}
