package supervisor

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/proc"
)

// fakeTree is a tree of one member that nothing but a kill ends, and whose
// graceful signal can be made to reach nobody.
type fakeTree struct {
	signalErr error
	signals   int
	killed    bool
}

func (f *fakeTree) members() ([]proc.Process, error) {
	if f.killed {
		return nil, nil
	}
	return []proc.Process{{Identity: proc.Identity{PID: 42, Start: 1}, Name: "target"}}, nil
}

func (f *fakeTree) signal([]proc.Process, syscall.Signal) error {
	f.signals++
	return f.signalErr
}

func (f *fakeTree) kill([]proc.Process) error {
	f.killed = true
	return nil
}

// A stop event that reached nobody is said once, and the kill follows at
// once: the grace (an hour here) is never waited. The stop returning at all
// is the proof; killed says how.
func TestStopWithoutDeliveryKillsAtOnce(t *testing.T) {
	tree := &fakeTree{signalErr: fmt.Errorf("%w: no console", errNotDelivered)}
	var lines []string
	logf := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	out, err := windDown(tree, syscall.SIGTERM, time.Hour, nil, logf)
	if err != nil || !out.killed || !tree.killed || tree.signals != 1 {
		t.Fatalf("outcome %+v (%v), signals %d, killed %v; want one signal, then the kill", out, err, tree.signals, tree.killed)
	}
	said := 0
	for _, l := range lines {
		said += strings.Count(l, errNotDelivered.Error())
	}
	if said != 1 {
		t.Errorf("log %q says %d times that nothing was delivered, want once", lines, said)
	}
}

// Any other signal error keeps the grace: some members may have got it.
func TestStopSignalErrorKeepsGrace(t *testing.T) {
	tree := &fakeTree{signalErr: fmt.Errorf("pid 7: %w", ErrNotOurs)}
	cut := make(chan os.Signal, 1)
	done := make(chan stopOutcome, 1)
	go func() {
		out, _ := windDown(tree, syscall.SIGTERM, time.Hour, cut, func(string, ...any) {})
		done <- out
	}()
	select {
	case out := <-done:
		t.Fatalf("stop ended (%+v) without the grace or a second signal", out)
	case <-time.After(200 * time.Millisecond):
	}
	cut <- syscall.SIGINT
	if out := <-done; !out.killed || out.again != syscall.SIGINT {
		t.Errorf("outcome %+v, want a kill cut short by the second signal", out)
	}
}
