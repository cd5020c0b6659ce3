package main

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/limit"
	"github.com/soakrun/soakrun/metrics"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/sampler"
	"github.com/soakrun/soakrun/samples"
)

func samplingFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "interval", Value: "10s", Usage: "sample every `DURATION` (at least 50ms)"},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: "resources.jsonl", Usage: "write samples to `FILE`, one JSON object per line; checked before the command starts (unwritable: exit 125, nothing run)"},
		&cli.StringFlag{Name: "top", Value: "3", Usage: "list the `N` largest processes of the tree by memory in each sample, then any among the N largest by handles, threads or CPU not listed yet, and name the fastest-growing executable of each judged figure (0: none)"},
		&cli.BoolFlag{Name: "record-cmdline", Usage: "add each --top process's command line, with secret-looking values (--token=…, password=…, *_KEY=…, --password VALUE) replaced by ***"},
		&cli.StringFlag{Name: "metrics-addr", Usage: "serve Prometheus metrics on `ADDR` (a bare port binds to 127.0.0.1; name a host, e.g. 0.0.0.0:9464, to expose it)"},
		&cli.StringFlag{Name: "disk", Usage: "report the filesystem holding `PATH` (default: the output's directory)"},
	}, pushFlags()...)
}

// samplingOptions are the sampling flags, checked.
type samplingOptions struct {
	interval time.Duration
	output   string
	top      int
	disk     string
	cmdlines bool
	metrics  string
	push     *metrics.PushConfig // nil: no pushing
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
	if o.push, err = parsePushOptions(c); err != nil {
		return o, err
	}
	o.disk = c.String("disk")
	if o.disk == "" {
		o.disk = filepath.Dir(o.output)
	} else if _, err := os.Stat(o.disk); err != nil {
		return o, failf("--disk: %v", err)
	}
	return o, nil
}

// liveViews are what a run watches as it goes, besides the output and the
// metrics endpoint; the zero value watches nothing.
type liveViews struct {
	series   *report.Series // kept in memory for the analysis, and judged live
	trend    report.Options // how the live trend is judged
	progress *progress      // the status line on stderr
	watch    *limit.Watch   // stops the run early; nil: never
	recorder *recorder      // takes the breakdowns of where memory went
}

// sampling is one run's sample stream and the output it writes.
type sampling struct {
	pipe   *sampler.Pipeline
	writer *samples.Writer
	pusher *metrics.Pusher // nil: no pushing
	path   string
}

// trendEvery bounds how often the live trend is recomputed.
const trendEvery = 30 * time.Second

// openSampling creates the output, reads the host's baseline, binds the
// metrics endpoint if asked for, and lists the sinks in the order each
// snapshot visits them: the output, the series, the early stop (which
// judges what the series holds), the metrics, the live trend, the progress
// line, the pusher. It runs before the command starts: an output
// that cannot be written or an address that cannot be bound stops soakrun
// with nothing launched and nothing left open.
func openSampling(o samplingOptions, src sampler.Config, views liveViews, logf func(string, ...any)) (*sampling, error) {
	w, err := samples.Create(o.output)
	if err != nil {
		return nil, failf("%v", err)
	}
	var exporter *metrics.Exporter
	var pusher *metrics.Pusher
	if o.metrics != "" || o.push != nil {
		exporter = metrics.New()
	}
	if o.push != nil {
		if pusher, err = metrics.NewPusher(exporter, *o.push); err != nil {
			w.Close()
			return nil, failf("--push-gateway: %v", err)
		}
		logf("pushing metrics to %s every %s as job %q, %s", o.push.URL, o.push.Interval, o.push.Job, labelList(o.push.Grouping))
	}
	var live *report.LiveTrend
	if views.series != nil && (exporter != nil || views.progress != nil) {
		live = report.NewLiveTrend(views.series, views.trend, trendEvery, func(r trend.Result) {
			if exporter != nil {
				exporter.SetSlope(r.SlopePerHour)
			}
			if views.progress != nil {
				views.progress.setSlope(r.SlopePerHour)
			}
		})
	}
	src.DiskPath, src.Top, src.RecordCmdline, src.Version = o.disk, o.top, o.cmdlines, version
	// The pusher reads the exporter, so it comes after it, and its Close
	// sends what the exporter made of the exit sample.
	pipe := sampler.NewPipeline(src, o.interval, w, views.series, views.watch, exporter, live, views.progress, pusher, views.recorder)
	if o.metrics != "" {
		bound, err := exporter.Serve(o.metrics)
		if err != nil {
			pipe.Close()
			return nil, failf("--metrics-addr: %v", err)
		}
		logf("serving metrics on http://%s/metrics", bound)
	}
	return &sampling{pipe: pipe, writer: w, pusher: pusher, path: o.output}, nil
}

// close takes the exit sample, closes every sink and says what was written
// and what watching cost. Write errors are reported even when quiet: lost
// samples are an error, though not one that changes the exit code.
func (s *sampling) close(logf func(string, ...any)) report.RunFacts {
	closeErr := s.pipe.Close()
	written, dropped, err := s.writer.Stats()
	facts := report.RunFacts{SamplesWritten: written, SamplesDropped: dropped}
	if s.pusher != nil {
		st := s.pusher.Stats()
		facts.PushAttempts, facts.PushFailures = st.Attempts, st.Failures
	}
	logf("wrote %d sample(s) to %s", written, s.path)
	if dropped > 0 {
		facts.WriteError = err.Error()
		out.errorf("%d sample(s) could not be written: %v", dropped, err)
	}
	if closeErr != nil {
		out.errorf("%v", closeErr)
	}
	if self, err := sampler.SelfUsage(); err == nil {
		facts.SoakrunCPUSeconds = self.CPU.Seconds()
		facts.SoakrunPeakRSSMB = float64(self.PeakRSSBytes) / (1 << 20)
		logf("watching cost %.2f s of CPU; soakrun's peak RSS %.1f MB", facts.SoakrunCPUSeconds, facts.SoakrunPeakRSSMB)
	}
	return facts
}
