package metrics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/push"

	"github.com/soakrun/soakrun/samples"
)

// PushConfig says where and how a Pusher pushes. Only URL and Job are
// required.
type PushConfig struct {
	URL string // the Pushgateway: http://host:9091, or host:9091
	Job string // the job label of the pushed group

	// Grouping labels name the group beside Job: for a CI runner its
	// repository, workflow, run and runner, so that runners never replace
	// each other's metrics.
	Grouping map[string]string

	// Interval is how often the latest snapshot is pushed; 0 means 15 s.
	Interval time.Duration
	// Timeout bounds one push; 0 means Interval, at most 10 s.
	Timeout time.Duration
	// FinalTimeout bounds what Close sends, the last push or the delete;
	// 0 means 2 s. It is all a gateway that starts to hang at the very end
	// can add to a run's end.
	FinalTimeout time.Duration

	// Keep leaves the group on the gateway at Close, pushed with the last
	// snapshot, so the run's last state stays visible; by default Close
	// deletes it, and the runner's series end with the run.
	Keep bool

	// OnFirstFailure, when set, is called once, on the first push or
	// delete that fails; later failures are only counted.
	OnFirstFailure func(error)
}

// PushStats count what a Pusher sent and what failed.
type PushStats struct {
	Attempts, Failures int
	FirstError         error // nil when nothing failed
}

// Pusher sends an Exporter's metrics to a Prometheus Pushgateway, for
// runners nobody can scrape. It pushes on its own goroutine, each push
// bounded by a timeout: a gateway that is down or slow never holds up the
// sampling that feeds the exporter. It is a samples.Sink, listed after the
// exporter: its first snapshot starts the pushing, and Close ends it.
type Pusher struct {
	cfg     PushConfig
	live    *push.Pusher // the periodic pushes
	final   *push.Pusher // what Close sends, within FinalTimeout
	started chan struct{}
	start   sync.Once
	cancel  context.CancelFunc
	done    chan struct{}
	close   sync.Once

	mu         sync.Mutex
	stats      PushStats
	lastFailed bool
}

// NewPusher checks cfg and starts the goroutine that pushes e's metrics
// once the first snapshot has arrived. Close stops it.
func NewPusher(e *Exporter, cfg PushConfig) (*Pusher, error) {
	u, err := url.Parse(cfg.URL)
	if !strings.Contains(cfg.URL, "://") {
		u, err = url.Parse("http://" + cfg.URL)
	}
	switch {
	case err != nil:
		return nil, fmt.Errorf("pushgateway URL %q: %w", cfg.URL, err)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return nil, fmt.Errorf("pushgateway URL %q: want http://host:port", cfg.URL)
	case strings.TrimSpace(cfg.Job) == "":
		return nil, errors.New("push job: empty")
	}
	for name := range cfg.Grouping {
		if name == "job" || name == "" {
			return nil, fmt.Errorf("grouping label %q: not a label a group can have", name)
		}
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 15 * time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = min(cfg.Interval, 10*time.Second)
	}
	if cfg.FinalTimeout <= 0 {
		cfg.FinalTimeout = 2 * time.Second
	}
	p := &Pusher{
		cfg:     cfg,
		live:    newPush(e, cfg, cfg.Timeout),
		final:   newPush(e, cfg, cfg.FinalTimeout),
		started: make(chan struct{}),
		done:    make(chan struct{}),
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go p.loop(ctx)
	return p, nil
}

func newPush(e *Exporter, cfg PushConfig, timeout time.Duration) *push.Pusher {
	p := push.New(cfg.URL, cfg.Job).Gatherer(e.reg).Client(&http.Client{Timeout: timeout})
	for name, value := range cfg.Grouping {
		p.Grouping(name, value)
	}
	return p
}

// Add starts the pushing on the first snapshot; the exporter, listed
// before, already holds it. It never blocks.
func (p *Pusher) Add(*samples.Snapshot) {
	p.start.Do(func() { close(p.started) })
}

func (p *Pusher) loop(ctx context.Context) {
	defer close(p.done)
	select {
	case <-p.started:
	case <-ctx.Done():
		return
	}
	tick := time.NewTicker(p.cfg.Interval)
	defer tick.Stop()
	for {
		p.count(ctx, p.live.PushContext(ctx))
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}

// count records one attempt; one that Close cut short is no failure.
func (p *Pusher) count(ctx context.Context, err error) {
	if err != nil && ctx.Err() != nil {
		return
	}
	p.mu.Lock()
	p.stats.Attempts++
	p.lastFailed = err != nil
	first := err != nil && p.stats.Failures == 0
	if err != nil {
		p.stats.Failures++
	}
	if first {
		p.stats.FirstError = err
	}
	p.mu.Unlock()
	if first && p.cfg.OnFirstFailure != nil {
		p.cfg.OnFirstFailure(err)
	}
}

// Close stops the pushing, cutting short a push under way, then deletes
// the group, or with Keep pushes the last snapshot, within FinalTimeout.
// When the last push failed, the gateway is not asked again: one that is
// down or hanging adds nothing to the end of a run. Failures are counted
// in Stats, never returned: a gateway's trouble is not the run's. Safe to
// call twice.
func (p *Pusher) Close() error {
	p.close.Do(func() {
		p.cancel()
		<-p.done
		select {
		case <-p.started:
		default:
			return // nothing was ever pushed
		}
		p.mu.Lock()
		down := p.lastFailed
		p.mu.Unlock()
		if down {
			return
		}
		if p.cfg.Keep {
			p.count(context.Background(), p.final.Push())
		} else {
			p.count(context.Background(), p.final.Delete())
		}
	})
	return nil
}

// Stats are the pushes so far; after Close, all of them.
func (p *Pusher) Stats() PushStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}
