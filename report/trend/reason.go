package trend

import (
	"fmt"
	"math"

	"github.com/soakrun/soakrun/report/internal/words"
)

// reason says in one sentence why j is what it is. Times are given from
// t0, the first finite point, as people count hours into a run; analysed
// is where the summaries start, from where the verdict's range does.
func (j judgement) reason(o Options, t0, analysed, from float64) string {
	level := "median"
	if o.Envelope {
		level = "floor"
	}
	unit := o.Unit
	if unit != "" {
		unit = " " + unit
	}
	rate := func(v float64) string { return words.Number(v) + unit + "/h" }
	th := rate(j.threshold)
	stepped := j.step.alone && j.step.clear
	if j.rate && !j.late {
		return j.rateReason(rate, unit)
	}
	switch {
	case j.verdict != NoLeak && j.onset:
		return sprintf("%s flat until %s, then rose %s (%s), %s in the last third",
			level, hours(from-t0), rate(j.whole.slope), words.P(j.whole.p), rate(j.tail.slope))
	case j.verdict != NoLeak && j.late && j.spedUp():
		tail, run := words.Distinct(j.tail.slope, j.run.slope)
		return sprintf("%s rose %s%s/h in the last third (%s), faster than the %s%s/h of the whole run: the rise sped up late",
			level, tail, unit, words.P(j.tail.p), run, unit)
	case j.verdict != NoLeak && j.late && j.run.p < j.alpha:
		// Found in the last third, which did not start or speed up late:
		// the run's own rise, slower at the end than before.
		return sprintf("%s rose %s (%s) and still rising %s in the last third (%s)",
			level, rate(j.run.slope), words.P(j.run.p), rate(j.tail.slope), words.P(j.tail.p))
	case j.verdict != NoLeak && j.late:
		return sprintf("%s rose %s in the last third (%s), at least the %s threshold, where the whole run's %s is not significant (%s)",
			level, rate(j.tail.slope), words.P(j.tail.p), th, rate(j.run.slope), words.P(j.run.p))
	case j.verdict == Leak:
		return sprintf("%s rose %s (%s) and still rising %s in the last third",
			level, rate(j.whole.slope), words.P(j.whole.p), rate(j.tail.slope))
	case j.verdict == Plateaued && stepped:
		// The rise, not the jump: the jump is between two noisy summaries
		// and may be split across two windows.
		return sprintf("%s rose in one step of %s%s at %s and stayed there",
			level, words.Number(j.rise), unit, hours(analysed-t0+j.step.at*3600))
	case j.verdict == Plateaued:
		tail, avg := words.Distinct(j.tail.slope, j.riseRate)
		return sprintf("%s rose %s%s (%s) but growth slowed to %s%s/h in the last third from %s%s/h on average",
			level, words.Number(j.rise), unit, words.P(j.run.p), tail, unit, avg, unit)
	case j.run.p >= j.alpha && j.run.slope < 0 && 1-j.run.p < j.alpha:
		return sprintf("%s fell %s (%s)", level, rate(-j.run.slope), words.P(1-j.run.p))
	case j.run.p >= j.alpha:
		return sprintf("no significant rise of the %s (%s), slope %s", level, words.P(j.run.p), rate(j.run.slope))
	case j.run.slope < j.threshold:
		run, th := words.Distinct(j.run.slope, j.threshold)
		return sprintf("%s rose %s%s/h (%s), below the %s%s/h threshold", level, run, unit, words.P(j.run.p), th, unit)
	case j.step.alone:
		return sprintf("%s rose %s (%s), nearly all of it in one jump of %s%s at %s",
			level, rate(j.run.slope), words.P(j.run.p), words.Number(j.step.size), unit, hours(analysed-t0+j.step.at*3600))
	case j.lag < j.alpha && j.tail.slope >= j.threshold/2 && j.tail.slope < j.run.slope:
		run, tail := words.Distinct(j.run.slope, j.tail.slope)
		return sprintf("%s rose %s%s/h (%s) but the last third fell behind it, %s%s/h (%s for a slowdown)",
			level, run, unit, words.P(j.run.p), tail, unit, words.P(j.lag))
	case j.lag < j.alpha && j.tail.slope >= j.threshold/2:
		// The last third's slope is no lower, yet its summaries fall
		// against the run's trend: no comparison of slopes to print.
		return sprintf("%s rose %s (%s), and %s in the last third, whose summaries fall against the run's trend (%s for a slowdown)",
			level, rate(j.run.slope), words.P(j.run.p), rate(j.tail.slope), words.P(j.lag))
	default:
		run, tail := words.Distinct(j.run.slope, j.tail.slope)
		return sprintf("%s rose %s%s/h (%s) but only %s%s/h in the last third", level, run, unit, words.P(j.run.p), tail, unit)
	}
}

// spedUp says that the last third rose faster than the whole run, as the
// numbers a reason prints show it: a late rise that is not flat before is
// reported as one only then.
func (j judgement) spedUp() bool {
	tail, run := words.Distinct(j.tail.slope, j.run.slope)
	return j.tail.slope > j.run.slope && tail != run
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// hours prints a duration given in seconds.
func hours(s float64) string {
	switch a := math.Abs(s); {
	case a >= 3600:
		return fmt.Sprintf("%.1f h", s/3600)
	case a >= 60:
		return fmt.Sprintf("%.0f min", s/60)
	default:
		return fmt.Sprintf("%.0f s", s)
	}
}
