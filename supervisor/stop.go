package supervisor

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// tree is what the stop sequence needs of a process tree.
type tree interface {
	members() ([]proc.Process, error)
	signal(members []proc.Process, sig syscall.Signal) error
	kill(members []proc.Process) error
}

// stopOutcome is how a stop sequence ended.
type stopOutcome struct {
	killed     bool           // the grace ran out (or was cut short) and kills were sent
	again      os.Signal      // a further stop request that cut the grace short
	unkillable []proc.Process // alive when the kills gave up
}

// windDown is the one stop sequence: sig to every live member, up to grace for
// the tree to empty, then kill sweeps until nothing is alive. A tree that
// forks during the kill is caught by the next sweep. A signal on again cuts
// the grace short.
//
// A listing that fails, or misses members, does not stop the stop: the
// signals still go to every member listed and, through the container, to
// what no listing saw (the tree's process groups, its cgroup), and the
// tree counts as empty only when a complete listing finds it so.
func windDown(t tree, sig syscall.Signal, grace time.Duration, again <-chan os.Signal, logf func(string, ...any)) (stopOutcome, error) {
	var out stopOutcome
	members, err := t.members()
	live := Live(members)
	if err == nil && len(live) == 0 {
		return out, nil
	}
	if err != nil {
		logf("list members: %v; signalling the %d listed and the tree as a whole", err, len(live))
	}
	logf("sending %s to %d process(es): %s; grace %s", signalName(sig), len(live), Names(live), grace)
	if err := t.signal(live, sig); errors.Is(err, errNotDelivered) {
		// Nothing was asked to stop: waiting would only delay the kill.
		logf("%v; killing now", err)
		grace = 0
	} else if err != nil {
		logf("signal: %v", err)
	}

	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
grace:
	for {
		select {
		case <-tick.C:
			members, err := t.members()
			if err == nil && len(Live(members)) == 0 {
				return out, nil
			}
		case <-deadline.C:
			break grace
		case s := <-again:
			out.again = s
			logf("received %s again; killing now", s)
			break grace
		}
	}

	out.killed = true
	giveUp := time.Now().Add(giveUpAfter)
	for first := true; ; first = false {
		members, err := t.members()
		live := Live(members)
		if err == nil && len(live) == 0 {
			return out, nil
		}
		if first {
			logf("killing %d process(es): %s", len(live), Names(live))
		}
		if time.Now().After(giveUp) {
			out.unkillable = live
			if err != nil {
				return out, fmt.Errorf("list members: %w; %d listed process(es) survived %s of kills: %s", err, len(live), giveUpAfter, Names(live))
			}
			return out, fmt.Errorf("%d process(es) survived %s of kills: %s", len(live), giveUpAfter, Names(live))
		}
		_ = t.kill(live) // members that vanish meanwhile are no reason to stop
		time.Sleep(pollEvery / 2)
	}
}
