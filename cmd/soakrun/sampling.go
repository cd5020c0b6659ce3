package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/limit"
	"github.com/soakrun/soakrun/metrics"
	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/sampler"
)

func samplingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "interval", Value: "10s", Usage: "sample every `DURATION` (at least 50ms)"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "resources.jsonl", Usage: "write samples to `FILE`, one JSON object per line"},
		&cli.StringFlag{Name: "top", Value: "3", Usage: "list the `N` largest processes of the tree in each sample (0: none)"},
		&cli.BoolFlag{Name: "record-cmdline", Usage: "add each --top process's command line, with secret-looking values (--token=…, password=…, *_KEY=…) redacted"},
		&cli.StringFlag{Name: "metrics-addr", Usage: "serve Prometheus metrics on `ADDR` (a bare port binds to 127.0.0.1; name a host, e.g. 0.0.0.0:9464, to expose it)"},
		&cli.StringFlag{Name: "disk", Usage: "report the filesystem holding `PATH` (default: the output's)"},
	}
}

// samplingOptions are the sampling flags, checked.
type samplingOptions struct {
	interval time.Duration
	output   string
	top      int
	disk     string
	cmdlines bool
	metrics  string
}

func parseSamplingOptions(c *cli.Context) (samplingOptions, error) {
	var o samplingOptions
	var err error
	if o.interval, err = parseDuration(c.String("interval")); err != nil {
		return o, failf("--interval: %v", err)
	}
	if o.interval < sampler.MinInterval {
		return o, failf("--interval: %s is shorter than the minimum %s", o.interval, sampler.MinInterval)
	}
	if o.top, err = strconv.Atoi(c.String("top")); err != nil || o.top < 0 {
		return o, failf("--top: %q is not a count (0 or more)", c.String("top"))
	}
	if o.output = c.String("output"); o.output == "" {
		return o, failf("--output: empty file name")
	}
	o.cmdlines = c.Bool("record-cmdline")
	o.metrics = c.String("metrics-addr")
	o.disk = c.String("disk")
	if o.disk == "" {
		o.disk = filepath.Dir(o.output)
	} else if _, err := os.Stat(o.disk); err != nil {
		return o, failf("--disk: %v", err)
	}
	return o, nil
}

// sampling is a sampler running on its own goroutine into a writer.
type sampling struct {
	series   *report.Series // what the analysis reads, in memory; nil: no analysis
	progress *progress      // nil: quiet
	exporter *metrics.Exporter
	watch    *limit.Watch   // nil: no early stop
	trend    report.Options // how the live trend is judged
	trendAt  time.Time
	w        *report.Writer
	path     string
	opts     samplingOptions
	smp      *sampler.Sampler
	cancel   context.CancelFunc
	done     chan struct{}
}

// openSampling creates the output and reads the host's baseline. It runs
// before the command starts: an output that cannot be written stops soakrun
// with nothing launched. members is called only once start has been.
func openSampling(o samplingOptions, members func() ([]proc.Process, error), peak func() (uint64, bool), stopping func() bool) (*sampling, error) {
	w, err := report.Create(o.output)
	if err != nil {
		return nil, failf("%v", err)
	}
	smp := sampler.New(sampler.Config{Members: members, PeakMemory: peak, Stopping: stopping, DiskPath: o.disk, Top: o.top, RecordCmdline: o.cmdlines, Version: version})
	return &sampling{w: w, path: o.output, opts: o, smp: smp}, nil
}

// start samples every interval, on its own goroutine, until stop.
func (s *sampling) start() {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		s.smp.Run(ctx, s.opts.interval, func(snap sampler.Snapshot) {
			s.w.Write(snap)
			if s.series != nil {
				s.series.Add(&snap)
			}
			if s.watch != nil {
				s.watch.Add(&snap) // after the series: it judges what the series holds
			}
			s.live(&snap)
		})
	}()
}

// trendEvery bounds how often the live trend is recomputed.
const trendEvery = 30 * time.Second

// live feeds the live views: the progress line and the metrics endpoint.
func (s *sampling) live(snap *sampler.Snapshot) {
	if s.exporter != nil {
		s.exporter.Observe(snap)
	}
	if s.series != nil && (s.progress != nil || s.exporter != nil) && time.Since(s.trendAt) >= trendEvery {
		s.trendAt = time.Now()
		if r, ok := s.series.Trend(report.TreeMemory, s.trend); ok && r.Verdict != trend.Insufficient {
			if s.progress != nil {
				s.progress.setSlope(r.SlopePerHour)
			}
			if s.exporter != nil {
				s.exporter.SetSlope(r.SlopePerHour)
			}
		}
	}
	if s.progress != nil {
		s.progress.sample(snap)
	}
}

// serveMetrics starts the metrics endpoint; a bare port binds to loopback.
func (s *sampling) serveMetrics(addr string, logf func(string, ...any)) error {
	if addr == "" {
		return nil
	}
	s.exporter = metrics.New()
	bound, err := s.exporter.Serve(addr)
	if err != nil {
		return failf("--metrics-addr: %v", err)
	}
	logf("serving metrics on http://%s/metrics", bound)
	return nil
}

// stop takes the exit sample, closes the output and says what was written
// and what watching cost. Write errors are reported even when quiet: lost
// samples are an error, though not one that changes the exit code.
func (s *sampling) stop(logf func(string, ...any)) report.RunFacts {
	if s.cancel != nil {
		s.cancel()
		<-s.done
	}
	if s.progress != nil {
		s.progress.done()
	}
	if s.exporter != nil {
		s.exporter.Close()
	}
	closeErr := s.w.Close()
	written, dropped, err := s.w.Stats()
	facts := report.RunFacts{SamplesWritten: written, SamplesDropped: dropped}
	logf("wrote %d sample(s) to %s", written, s.path)
	if dropped > 0 {
		facts.WriteError = err.Error()
		fmt.Fprintf(os.Stderr, "soakrun: %d sample(s) could not be written: %v\n", dropped, err)
	}
	if closeErr != nil {
		fmt.Fprintf(os.Stderr, "soakrun: %v\n", closeErr)
	}
	if self, err := sampler.SelfUsage(); err == nil {
		facts.SoakrunCPUSeconds = self.CPU.Seconds()
		facts.SoakrunPeakRSSMB = float64(self.PeakRSSBytes) / (1 << 20)
		logf("watching cost %.2f s of CPU; soakrun's peak RSS %.1f MB", facts.SoakrunCPUSeconds, facts.SoakrunPeakRSSMB)
	}
	return facts
}
