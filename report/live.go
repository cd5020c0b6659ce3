package report

import (
	"time"

	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

// LiveTrend judges the tree memory's trend while a run goes on, at most
// once per interval of sample time, for a progress line or a metrics
// endpoint (the early stop judges the series itself: limit.Watch). It is a
// samples.Sink listed after the Series
// it judges: it reads that series, and adds nothing to it.
type LiveTrend struct {
	series *Series
	opts   Options
	every  time.Duration // of sample time between judgements
	notify []func(trend.Result)
	judged bool
	last   float64 // timestamp_unix of the last judgement
}

// JudgeEvery bounds how often a run's live series is judged, by the live
// trend and by the early stop alike.
const JudgeEvery = 30 * time.Second

// NewLiveTrend judges series by opts every interval of sample time and
// hands each judged result to notify, in order. A trend still Insufficient
// is not handed on: it would say nothing yet.
func NewLiveTrend(series *Series, opts Options, every time.Duration, notify ...func(trend.Result)) *LiveTrend {
	return &LiveTrend{series: series, opts: opts, every: every, notify: notify}
}

// Add is the Sink method: it judges on the first snapshot and then when
// the interval has passed since the last judgement, by the snapshots' own
// clock, so a file read back is judged as the run was.
func (l *LiveTrend) Add(s *samples.Snapshot) {
	if l.judged && s.TimestampUnix-l.last < l.every.Seconds() {
		return
	}
	l.judged, l.last = true, s.TimestampUnix
	r, ok := l.series.Trend(TreeMemory, l.opts)
	if !ok || r.Verdict == trend.Insufficient {
		return
	}
	for _, f := range l.notify {
		f(r)
	}
}
