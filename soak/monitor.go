package soak

import (
	"context"
	"fmt"
	"time"

	"github.com/soakrun/soakrun/sampler"
	"github.com/soakrun/soakrun/supervisor"
)

// rootPollEvery is how often Monitor checks that its process lives.
const rootPollEvery = 500 * time.Millisecond

// MonitorConfig is a monitor: the host, and an existing process's tree,
// sampled without launching anything, as the psutil monitor soakrun
// replaces did (the format it wrote is in docs/samples.md).
type MonitorConfig struct {
	Sampling Sampling
	// PID also samples the tree of this process, and ends the monitor when
	// it exits (0: the host only).
	PID int
	// Duration ends the monitor (0: only ctx or PID's exit do).
	Duration time.Duration
	Console  Console
}

// Monitor samples until ctx ends, Duration passes or PID exits, and says
// which. It fails before sampling when PID cannot be followed or the
// output cannot be written.
func Monitor(ctx context.Context, cfg MonitorConfig) error {
	var src sampler.Config
	var rootPoll <-chan time.Time
	rootAlive := func() bool { return true }
	if cfg.PID != 0 {
		tree, err := supervisor.Follow(cfg.PID)
		if err != nil {
			return fmt.Errorf("--pid: %w", err)
		}
		defer tree.Close()
		src.Members, rootAlive = tree.Members, tree.RootAlive
		t := time.NewTicker(rootPollEvery)
		defer t.Stop()
		rootPoll = t.C
	}
	stream, err := openStream(cfg.Sampling, src, liveViews{}, cfg.Console)
	if err != nil {
		return err
	}
	stream.pipe.Start()
	defer stream.close(cfg.Console)
	return follow(ctx, cfg, rootPoll, rootAlive)
}

// follow waits for the monitor's end.
func follow(ctx context.Context, cfg MonitorConfig, rootPoll <-chan time.Time, rootAlive func() bool) error {
	var deadline <-chan time.Time
	if cfg.Duration > 0 {
		t := time.NewTimer(cfg.Duration)
		defer t.Stop()
		deadline = t.C
	}
	for {
		select {
		case <-deadline:
			cfg.Console.logf("monitored for %s", cfg.Duration)
			return nil
		case <-ctx.Done():
			return nil
		case <-rootPoll:
			if !rootAlive() {
				cfg.Console.logf("process %d exited; stopping", cfg.PID)
				return nil
			}
		}
	}
}
