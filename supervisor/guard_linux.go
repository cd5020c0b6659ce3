package supervisor

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/proc"
)

// envGuardCgroup tells the guard the run's cgroup, as JSON of its Handoff.
const envGuardCgroup = "SOAKRUN_GUARD_CGROUP"

func guardCgroupEnv(h cgroup.Handoff) string {
	b, _ := json.Marshal(h) // strings only: cannot fail
	return envGuardCgroup + "=" + string(b)
}

// guardHasCgroup says whether the guard was told of a cgroup to kill.
func guardHasCgroup() bool {
	_, ok := os.LookupEnv(envGuardCgroup)
	return ok
}

// killGuardedCgroup kills every member of the run's cgroup, if soakrun made
// one, and removes it. Unlike the guard's own listings it misses nobody:
// not a member that left its session and was orphaned a moment before
// soakrun died. If soakrun died (it did not say it was done), the guard
// also undoes soakrun's move to a leaf of its own, in which the guard was
// born: once soakrun is gone from it, the guard is its last process.
func killGuardedCgroup(soakrunDied bool, owner proc.Identity) error {
	spec, ok := os.LookupEnv(envGuardCgroup)
	if !ok {
		return nil
	}
	var h cgroup.Handoff
	if err := json.Unmarshal([]byte(spec), &h); err != nil {
		return fmt.Errorf("bad %s: %w", envGuardCgroup, err)
	}
	g := cgroup.Open(h)
	err := errors.Join(g.Kill(time.Now().Add(giveUpAfter)), g.Remove())
	if !soakrunDied || h.Leaf == nil {
		return err
	}
	// The pipe reads EOF as soakrun's files are closed, a moment before
	// it has left its cgroup.
	for end := time.Now().Add(time.Second); proc.Alive(owner) && time.Now().Before(end); {
		time.Sleep(pollEvery)
	}
	return errors.Join(err, g.Leave(os.Getpid()))
}
