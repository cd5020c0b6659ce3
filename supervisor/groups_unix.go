//go:build linux || darwin

package supervisor

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/soakrun/soakrun/proc"
)

// treeGroups are the process groups the tree made: the command's own, and
// each one a member was seen leading. A stop signals them as a whole
// (kill(-pgid)), and each member outside them on its own, so a member that
// no listing could read (descriptors ran short, or it was born since)
// still gets the signal, and the kill, without a descriptor, and every
// member gets it once.
//
// A group is only signalled while the latest listing found a member in it:
// a group id is not handed out again while any process is in the group, so
// it is still the group the tree made, and only a process of its session,
// which the tree created, can have joined it. A group no member is in any
// more is forgotten for good once a complete listing shows it, so a
// stranger's later group that reuses the number is never signalled.
// soakrun's own group is never one of them.
type treeGroups struct {
	own  int          // soakrun's own group
	made map[int]bool // groups led by a member when seen
	live []int        // made groups the latest listing found members in
}

func newTreeGroups(own int) *treeGroups {
	return &treeGroups{own: own, made: map[int]bool{}}
}

// add notes a group the tree made before any listing saw its leader (the
// command's, set up at its start).
func (t *treeGroups) add(pgid int) {
	if pgid > 0 && pgid != t.own {
		t.made[pgid] = true
	}
}

// note takes the groups of a listing's members. complete says the listing
// read every process it was after: only then can a group it did not find be
// known to be empty.
func (t *treeGroups) note(members []proc.Process, complete bool) {
	in := make(map[int]bool, 4)
	for _, m := range members {
		if m.PGID == m.PID {
			t.add(m.PGID)
		}
		in[m.PGID] = true
	}
	was := t.live
	t.live = nil
	for pgid := range t.made {
		if in[pgid] {
			t.live = append(t.live, pgid)
		} else if complete {
			delete(t.made, pgid)
		}
	}
	if !complete {
		// A group whose members all went unread is not known to be
		// empty: it stays as it was.
		for _, pgid := range was {
			if t.made[pgid] && !in[pgid] {
				t.live = append(t.live, pgid)
			}
		}
	}
}

// signal sends sig to each group the latest listing found members in, and
// returns the groups it reached.
func (t *treeGroups) signal(sig syscall.Signal) (reached map[int]bool, err error) {
	var errs []error
	reached = make(map[int]bool, len(t.live))
	for _, pgid := range t.live {
		switch err := syscall.Kill(-pgid, sig); {
		case err == nil:
			reached[pgid] = true
		case !errors.Is(err, syscall.ESRCH):
			errs = append(errs, fmt.Errorf("signal %s to process group %d: %w", signalName(sig), pgid, err))
		}
	}
	return reached, errors.Join(errs...)
}
