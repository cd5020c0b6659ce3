package soak

import (
	"fmt"
	"path/filepath"

	"github.com/soakrun/soakrun/internal/buildinfo"
	"github.com/soakrun/soakrun/limit"
	"github.com/soakrun/soakrun/metrics"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/sampler"
	"github.com/soakrun/soakrun/samples"
)

// liveViews are what a run watches as it goes, besides the output and the
// metrics endpoint; the zero value watches nothing.
type liveViews struct {
	series   *report.Series // kept in memory for the analysis, and judged live
	trend    report.Options // how the live trend is judged
	progress *progress      // the status line on stderr
	watch    *limit.Watch   // stops the run early; nil: never
	recorder *recorder      // takes the breakdowns of where memory went
}

// stream is one run's sample stream and the output it writes.
type stream struct {
	pipe   *sampler.Pipeline
	writer *samples.Writer
	pusher *metrics.Pusher // nil: no pushing
	path   string
}

// openStream creates the output, reads the host's baseline, binds the
// metrics endpoint if asked for, and lists the sinks in the order each
// snapshot visits them: the output, the series, the early stop (which
// judges what the series holds), the metrics, the live trend, the progress
// line, the pusher. It runs before the command starts: an output
// that cannot be written or an address that cannot be bound stops soakrun
// with nothing launched and nothing left open.
func openStream(o Sampling, src sampler.Config, views liveViews, c Console) (*stream, error) {
	w, err := samples.Create(o.Output)
	if err != nil {
		return nil, err
	}
	var exporter *metrics.Exporter
	var pusher *metrics.Pusher
	if o.MetricsAddr != "" || o.Push != nil {
		exporter = metrics.New()
	}
	if o.Push != nil {
		if pusher, err = metrics.NewPusher(exporter, *o.Push); err != nil {
			w.Close()
			return nil, fmt.Errorf("--push-gateway: %w", err)
		}
		c.logf("pushing metrics to %s every %s as job %q, %s", o.Push.URL, o.Push.Interval, o.Push.Job, metrics.LabelList(o.Push.Grouping))
	}
	var live *report.LiveTrend
	if views.series != nil && (exporter != nil || views.progress != nil) {
		live = report.NewLiveTrend(views.series, views.trend, report.JudgeEvery, func(r trend.Result) {
			if exporter != nil {
				exporter.SetSlope(r.SlopePerHour)
			}
			if views.progress != nil {
				views.progress.setSlope(r.SlopePerHour)
			}
		})
	}
	src.DiskPath, src.Top, src.RecordCmdline, src.Version = o.Disk, o.Top, o.RecordCmdline, buildinfo.Version
	if src.DiskPath == "" {
		src.DiskPath = filepath.Dir(o.Output)
	}
	// The pusher reads the exporter, so it comes after it, and its Close
	// sends what the exporter made of the exit sample.
	pipe := sampler.NewPipeline(src, o.Interval, w, views.series, views.watch, exporter, live, views.progress, pusher, views.recorder)
	if o.MetricsAddr != "" {
		bound, err := exporter.Serve(o.MetricsAddr)
		if err != nil {
			pipe.Close()
			return nil, fmt.Errorf("--metrics-addr: %w", err)
		}
		c.logf("serving metrics on http://%s/metrics", bound)
	}
	return &stream{pipe: pipe, writer: w, pusher: pusher, path: o.Output}, nil
}

// close takes the exit sample, closes every sink and says what was written
// and what watching cost. Write errors are reported even when quiet: lost
// samples are an error, though not one that changes the exit code.
func (s *stream) close(c Console) report.RunFacts {
	closeErr := s.pipe.Close()
	written, dropped, err := s.writer.Stats()
	facts := report.RunFacts{SamplesWritten: written, SamplesDropped: dropped}
	if s.pusher != nil {
		st := s.pusher.Stats()
		facts.PushAttempts, facts.PushFailures = st.Attempts, st.Failures
	}
	c.logf("wrote %d sample(s) to %s", written, s.path)
	if dropped > 0 {
		facts.WriteError = err.Error()
		c.errorf("%d sample(s) could not be written: %v", dropped, err)
	}
	if closeErr != nil {
		c.errorf("%v", closeErr)
	}
	if self, err := sampler.SelfUsage(); err == nil {
		facts.SoakrunCPUSeconds = self.CPU.Seconds()
		facts.SoakrunPeakRSSMB = float64(self.PeakRSSBytes) / (1 << 20)
		c.logf("watching cost %.2f s of CPU; soakrun's peak RSS %.1f MB", facts.SoakrunCPUSeconds, facts.SoakrunPeakRSSMB)
	}
	return facts
}
