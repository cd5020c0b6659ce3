package report

import (
	"regexp"
	"strings"
	"testing"
)

var xTickRe = regexp.MustCompile(`<text class="tick x"[^>]*>([^<]*)</text>`)

// A chart's time axis counts in the unit that fits the run, on round ticks.
func TestTimeAxisFitsTheRun(t *testing.T) {
	for _, tc := range []struct {
		spanSeconds float64
		title       string
		ticks       []string // the first ticks
	}{
		{20, "seconds from start", []string{"0 s", "5 s", "10 s", "15 s", "20 s"}},
		{90, "seconds from start", []string{"0 s", "10 s", "20 s"}},
		{45 * 60, "minutes from start", []string{"0 min", "5 min", "10 min"}},
		{72 * 3600, "hours from start", []string{"0 h", "12 h", "24 h", "36 h"}},
		{0, "seconds from start", []string{"0 s", "10 s"}}, // one sample: a minute's axis
	} {
		p := &plot{title: "m", width: 1100, height: 300, origin: 1000, end: 1000 + tc.spanSeconds,
			lines: []plotLine{{label: "x", color: blue, t: []float64{1000, 1000 + tc.spanSeconds}, v: []float64{1, 2}}}}
		svg := p.svg()
		if !strings.Contains(svg, ">"+tc.title+"</text>") {
			t.Errorf("%g s: axis title is not %q", tc.spanSeconds, tc.title)
		}
		var ticks []string
		for _, m := range xTickRe.FindAllStringSubmatch(svg, -1) {
			ticks = append(ticks, m[1])
		}
		if len(ticks) < len(tc.ticks) || strings.Join(ticks[:len(tc.ticks)], ",") != strings.Join(tc.ticks, ",") {
			t.Errorf("%g s: ticks %v, want them to start %v", tc.spanSeconds, ticks, tc.ticks)
		}
		if len(ticks) > 12 {
			t.Errorf("%g s: %d ticks", tc.spanSeconds, len(ticks))
		}
	}
}

// A small chart of a run a little over a round length still gets a tick
// between its ends.
func TestTimeAxisSmallChart(t *testing.T) {
	p := &plot{title: "m", width: 356, height: 210, origin: 0, end: 30.07,
		lines: []plotLine{{label: "x", color: blue, t: []float64{0, 30.07}, v: []float64{1, 2}}}}
	var ticks []string
	for _, m := range xTickRe.FindAllStringSubmatch(p.svg(), -1) {
		ticks = append(ticks, m[1])
	}
	if strings.Join(ticks, ",") != "0 s,10 s,20 s,30 s" {
		t.Errorf("ticks %v, want 0 s, 10 s, 20 s, 30 s", ticks)
	}
}

func TestTimeUnitSpan(t *testing.T) {
	for _, tc := range []struct {
		run, from, to float64
		want          string
	}{
		{20, 2, 20, "2–20 s"},
		{1800, 180, 1800, "3–30 min"},
		{7200, 720, 7200, "0.20–2.00 h"},
	} {
		if got := timeUnitFor(tc.run).span(tc.from, tc.to); got != tc.want {
			t.Errorf("span(%g, %g) of a %g s run = %q, want %q", tc.from, tc.to, tc.run, got, tc.want)
		}
	}
}
