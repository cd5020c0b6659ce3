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

// timeSteps are the round tick steps of each unit: a clock's numbers
// (15 s, 30 min, 6 h), never 2.5.
var timeSteps = map[string][]float64{
	"s":   {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30, 60},
	"min": {1, 2, 5, 10, 15, 20, 30, 60},
	"h":   {0.5, 1, 2, 3, 4, 6, 12, 24, 48},
}

// niceTimeStep is the smallest round step, in u, that cuts span units into
// at most n parts.
func (u timeUnit) niceTimeStep(span float64, n int) float64 {
	for _, step := range timeSteps[u.short] {
		if span/step <= float64(n) {
			return step
		}
	}
	return niceStep(span, n) // days of hours: 50, 100, …
}

// span formats a stretch of the run, in seconds from its start, in u.
func (u timeUnit) span(from, to float64) string {
	dec := 0
	if u.seconds == 3600 {
		dec = 2
	}
	return strconv.FormatFloat(from/u.seconds, 'f', dec, 64) + "–" + strconv.FormatFloat(to/u.seconds, 'f', dec, 64) + " " + u.short
}
