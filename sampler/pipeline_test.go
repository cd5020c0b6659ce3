package sampler

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/samples"
)

// recorder is a sink that logs what it is handed, and how often it is
// closed, into a log shared with other recorders.
type recorder struct {
	name     string
	log      *eventLog
	closeErr error
	closes   int
}

type eventLog struct {
	mu     sync.Mutex
	events []string
	kinds  chan string
}

func (l *eventLog) add(e string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events)
}

func (r *recorder) Add(s *samples.Snapshot) {
	r.log.add(r.name + " " + s.Kind)
	if r.log.kinds != nil {
		r.log.kinds <- s.Kind
	}
}

func (r *recorder) Close() error {
	r.closes++
	r.log.add(r.name + " closed")
	return r.closeErr
}

func TestPipelineHandsEachSnapshotToEverySinkInOrder(t *testing.T) {
	path := filepath.Join(testproc.TempDir(t), "s.jsonl")
	out, err := samples.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	log := &eventLog{}
	a, b := &recorder{name: "a", log: log}, &recorder{name: "b", log: log}
	last := &recorder{name: "last", log: &eventLog{kinds: make(chan string, 1000)}}
	var none *recorder // a sink the caller does not have
	p := NewPipeline(Config{Version: "test"}, MinInterval, out, a, none, b, last)
	p.Start()
	p.Start() // a second Start samples nothing twice
	for n := 0; n < 3; {
		select {
		case k := <-last.log.kinds:
			if k == samples.KindInterval {
				n++
			}
		case <-time.After(time.Minute):
			t.Fatal("no interval samples within a minute")
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	events := log.snapshot()
	if len(events) < 2*5+2 || events[0] != "a start" || events[1] != "b start" {
		t.Fatalf("events %v: want a then b, from the start sample", events)
	}
	for i := 0; i+1 < len(events)-2; i += 2 {
		if events[i][2:] != events[i+1][2:] || events[i][0] != 'a' || events[i+1][0] != 'b' {
			t.Fatalf("events %d and %d: %q, %q: each snapshot goes to a, then b", i, i+1, events[i], events[i+1])
		}
	}
	if tail := events[len(events)-4:]; !slices.Equal(tail, []string{"a exit", "b exit", "a closed", "b closed"}) {
		t.Errorf("events end %v: want the exit sample, then the sinks closed in order", tail)
	}
	// The writer, first in the list, has every sample and was closed.
	lines := readKinds(t, path)
	if written, _, _ := out.Stats(); written != len(lines) || lines[0] != samples.KindStart || lines[len(lines)-1] != samples.KindExit {
		t.Errorf("file kinds %v, writer counted %d", lines, written)
	}
	if len(lines) != len(events)/2-1 {
		t.Errorf("%d lines on disk, %d snapshots handed to each sink", len(lines), len(events)/2-1)
	}
	if err := out.Write(&samples.Snapshot{}); err == nil {
		t.Error("the writer is still open after Close")
	}
	if err := p.Close(); err != nil || a.closes != 1 {
		t.Errorf("second Close: %v, a closed %d times", err, a.closes)
	}
}

func readKinds(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var kinds []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var s samples.Snapshot
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("line %d: %v", len(kinds)+1, err)
		}
		kinds = append(kinds, s.Kind)
	}
	return kinds
}

// TestPipelineCloseWithoutStart is the error path: the command never
// started, so no sample is taken, and every sink is still closed, its
// errors joined and kept for a second Close.
func TestPipelineCloseWithoutStart(t *testing.T) {
	log := &eventLog{}
	errA, errB := errors.New("a failed"), errors.New("b failed")
	a, b := &recorder{name: "a", log: log, closeErr: errA}, &recorder{name: "b", log: log, closeErr: errB}
	p := NewPipeline(Config{}, time.Hour, a, b)
	err := p.Close()
	if !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Errorf("Close = %v, want both sinks' errors", err)
	}
	if got := log.snapshot(); !slices.Equal(got, []string{"a closed", "b closed"}) {
		t.Errorf("events %v, want no sample and both sinks closed", got)
	}
	p.Start() // after Close: nothing
	if again := p.Close(); again != err || a.closes != 1 || b.closes != 1 {
		t.Errorf("second Close = %v, closes %d %d", again, a.closes, b.closes)
	}
	if got := log.snapshot(); len(got) != 2 {
		t.Errorf("Start after Close sampled: %v", got)
	}
}
