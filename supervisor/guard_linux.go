package supervisor

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/soakrun/soakrun/cgroup"
)

// envGuardCgroup tells the guard the run's cgroup, as JSON of its Paths.
const envGuardCgroup = "SOAKRUN_GUARD_CGROUP"

func guardCgroupEnv(p cgroup.Paths) string {
	b, _ := json.Marshal(p) // strings only: cannot fail
	return envGuardCgroup + "=" + string(b)
}

// killGuardedCgroup kills every member of the run's cgroup, if soakrun made
// one, and removes it. Unlike the guard's own listings it misses nobody:
// not a member that left its session and was orphaned a moment before
// soakrun died.
func killGuardedCgroup() error {
	spec, ok := os.LookupEnv(envGuardCgroup)
	if !ok {
		return nil
	}
	var p cgroup.Paths
	if err := json.Unmarshal([]byte(spec), &p); err != nil {
		return fmt.Errorf("bad %s: %w", envGuardCgroup, err)
	}
	g := cgroup.Open(p)
	return errors.Join(g.Kill(time.Now().Add(giveUpAfter)), g.Remove())
}
