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
	case j.verdict != NoLeak && j.late:
		return sprintf("%s rose %s in the last third (%s), more than the %s of the whole run",
			level, rate(j.tail.slope), words.P(j.tail.p), rate(j.run.slope))
	case j.verdict == Leak:
		return sprintf("%s rose %s (%s) and still rising %s in the last third",
			level, rate(j.whole.slope), words.P(j.whole.p), rate(j.tail.slope))
	case j.verdict == Plateaued && stepped:
		// The rise, not the jump: the jump is between two noisy summaries
		// and may be split across two windows.
		return sprintf("%s rose in one step of %s%s at %s and stayed there",
			level, words.Number(j.rise), unit, hours(analysed-t0+j.step.at*3600))
	case j.verdict == Plateaued:
		return sprintf("%s rose %s%s (%s) but growth slowed to %s in the last third",
			level, words.Number(j.rise), unit, words.P(j.run.p), rate(j.tail.slope))
	case j.run.p >= j.alpha && j.run.slope < 0 && 1-j.run.p < j.alpha:
		return sprintf("%s fell %s (%s)", level, rate(-j.run.slope), words.P(1-j.run.p))
	case j.run.p >= j.alpha:
		return sprintf("no significant rise of the %s (%s), slope %s", level, words.P(j.run.p), rate(j.run.slope))
	case j.run.slope < j.threshold:
		return sprintf("%s rose %s (%s), below the %s threshold", level, rate(j.run.slope), words.P(j.run.p), th)
	case j.step.alone:
		return sprintf("%s rose %s (%s), nearly all of it in one jump of %s%s at %s",
			level, rate(j.run.slope), words.P(j.run.p), words.Number(j.step.size), unit, hours(analysed-t0+j.step.at*3600))
	case j.lag < j.alpha && j.tail.slope >= j.threshold/2:
		return sprintf("%s rose %s (%s) but the last third fell behind it, %s (%s for a slowdown)",
			level, rate(j.run.slope), words.P(j.run.p), rate(j.tail.slope), words.P(j.lag))
	default:
		return sprintf("%s rose %s (%s) but only %s in the last third", level, rate(j.run.slope), words.P(j.run.p), rate(j.tail.slope))
	}
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
