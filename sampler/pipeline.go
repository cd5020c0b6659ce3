package sampler

import (
	"context"
	"errors"
	"io"
	"reflect"
	"sync"
	"time"

	"github.com/soakrun/soakrun/samples"
)

// Pipeline is one run's sample stream: a Sampler on its own goroutine,
// handing each snapshot to a list of sinks in the order they were listed
// (the writer first, so a sample is on disk before anything shows it). It
// owns the sinks from NewPipeline on: Close closes them.
type Pipeline struct {
	smp      *Sampler
	interval time.Duration
	sinks    []samples.Sink

	mu      sync.Mutex
	started bool
	closed  bool
	cancel  context.CancelFunc
	done    chan struct{}
	err     error // Close's answer, for every call
}

// NewPipeline reads the host's baseline now (see New), so call it before
// the command starts; sampling begins with Start. A nil sink (a nil
// pointer too) is left out, so a caller lists every sink it may have.
func NewPipeline(cfg Config, interval time.Duration, sinks ...samples.Sink) *Pipeline {
	p := &Pipeline{smp: New(cfg), interval: interval}
	for _, s := range sinks {
		if !isNil(s) {
			p.sinks = append(p.sinks, s)
		}
	}
	return p
}

func isNil(s samples.Sink) bool {
	if s == nil {
		return true
	}
	switch v := reflect.ValueOf(s); v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return v.IsNil()
	}
	return false
}

// Start samples at once, then every interval, on its own goroutine, until
// Close. Starting twice, or after Close, does nothing.
func (p *Pipeline) Start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started || p.closed {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.started, p.cancel, p.done = true, cancel, make(chan struct{})
	go func() {
		defer close(p.done)
		p.smp.Run(ctx, p.interval, p.emit)
	}()
}

func (p *Pipeline) emit(snap samples.Snapshot) {
	for _, s := range p.sinks {
		s.Add(&snap)
	}
}

// Close takes the exit sample if sampling started, then closes every sink
// that is an io.Closer, in list order, and joins their errors. It is the
// one call to make on every path, started or not, and any later call
// returns the first one's answer.
func (p *Pipeline) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return p.err
	}
	p.closed = true
	if p.started {
		p.cancel()
		<-p.done
	}
	errs := []error{p.smp.Close()}
	for _, s := range p.sinks {
		if c, ok := s.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	p.err = errors.Join(errs...)
	return p.err
}
