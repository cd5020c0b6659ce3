package report

import "strconv"

// timeUnit is the unit a chart's time axis counts in.
type timeUnit struct {
	seconds float64 // one unit, in seconds
	short   string  // on the ticks: "s", "min", "h"
	long    string  // in the axis title
}

// timeUnitFor picks the unit that puts a run of span seconds on round
// ticks: seconds up to two minutes, minutes up to two hours, then hours.
// A 20-second run reads 0 s, 5 s, 10 s, not 0.001 h, 0.002 h.
func timeUnitFor(spanSeconds float64) timeUnit {
	switch {
	case !(spanSeconds >= 120):
		return timeUnit{1, "s", "seconds"}
	case spanSeconds < 2*3600:
		return timeUnit{60, "min", "minutes"}
	}
	return timeUnit{3600, "h", "hours"}
}

// niceTimeStep is a round tick step, in u, that cuts span units into about
// n parts; minutes and seconds step by their own round numbers (15, 30),
// never by 2.5.
func (u timeUnit) niceTimeStep(span float64, n int) float64 {
	step := niceStep(span, n)
	if u.seconds == 3600 {
		return step
	}
	for _, s := range []float64{1, 2, 5, 10, 15, 20, 30, 60} {
		if step <= s {
			return s
		}
	}
	return step
}

// span formats a stretch of the run, in seconds from its start, in u.
func (u timeUnit) span(from, to float64) string {
	dec := 0
	if u.seconds == 3600 {
		dec = 2
	}
	return strconv.FormatFloat(from/u.seconds, 'f', dec, 64) + "–" + strconv.FormatFloat(to/u.seconds, 'f', dec, 64) + " " + u.short
}
