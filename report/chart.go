package report

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/soakrun/soakrun/report/trend"
)

// maxLinePoints bounds the points drawn per line: more than a chart has
// pixels only makes the page heavy.
const maxLinePoints = 800

// pointsOf returns the kept points of m, or none when s does not have it
// (a zero Series has no columns at all).
func (s *Series) pointsOf(m Metric) (t, v []float64) {
	if s == nil || s.cols == nil || s.cols[m] == nil {
		return nil, nil
	}
	c := s.cols[m]
	return c.t, c.v
}

// downsample reduces a line to at most limit points by keeping the lowest
// and the highest point of each bucket, in time order, so that a spike or
// a dip as short as one sample still shows.
func downsample(t, v []float64, limit int) ([]float64, []float64) {
	n, limit := min(len(t), len(v)), max(limit, 2)
	if n <= limit {
		return slices.Clone(t[:n]), slices.Clone(v[:n])
	}
	buckets := limit / 2
	ot, ov := make([]float64, 0, limit), make([]float64, 0, limit)
	for b := range buckets {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		if lo >= hi {
			continue
		}
		iMin, iMax := lo, lo
		for i := lo + 1; i < hi; i++ {
			if v[i] < v[iMin] {
				iMin = i
			}
			if v[i] > v[iMax] {
				iMax = i
			}
		}
		first, second := min(iMin, iMax), max(iMin, iMax)
		ot, ov = append(ot, t[first]), append(ov, v[first])
		if second != first {
			ot, ov = append(ot, t[second]), append(ov, v[second])
		}
	}
	return ot, ov
}

// median of xs, which it reorders; 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return xs[m-1]/2 + xs[m]/2
}

// trendSegment is the fitted line of a judged metric over the range its
// verdict holds for, [From, To], as (t, v) end points. It has the
// analysis's slope; its level is the median of the points' offsets from a
// line of that slope, which is how Theil–Sen places its own intercept, so
// the line runs through the middle of the points in the range (a memory
// sawtooth's middle, not the floor the slope was measured on). ok is false
// when there is nothing to draw.
func trendSegment(r MetricVerdict, t, v []float64) (seg [2][2]float64, ok bool) {
	if r.Verdict == "" || r.Verdict == trend.Insufficient || !(r.To > r.From) {
		return seg, false
	}
	perSecond := r.SlopePerHour / 3600
	var offsets []float64
	for i := range min(len(t), len(v)) {
		if t[i] >= r.From && t[i] <= r.To {
			offsets = append(offsets, v[i]-perSecond*(t[i]-r.From))
		}
	}
	if len(offsets) == 0 {
		return seg, false
	}
	b := median(offsets)
	seg = [2][2]float64{{r.From, b}, {r.To, b + perSecond*(r.To-r.From)}}
	if !finite(seg[1][1]) || !finite(b) {
		return seg, false
	}
	return seg, true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// niceStep is a round step (1, 2, 2.5 or 5 times a power of ten) that cuts
// span into about n parts.
func niceStep(span float64, n int) float64 {
	if !(span > 0) || !finite(span) || n < 1 {
		return 1
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// decimals is how many decimals print step without losing it.
func decimals(step float64) int {
	for d := range 7 {
		x := step * math.Pow(10, float64(d))
		if math.Abs(x-math.Round(x)) < 1e-6*math.Max(1, x) {
			return d
		}
	}
	return 6
}

// yScale picks a value range with round ends around [lo, hi] and its
// ticks. A constant series gets a band around its value, so that its line
// sits in the middle instead of on an edge.
func yScale(lo, hi float64, zero, integer bool) (from, to float64, ticks []float64, dec int) {
	if !finite(lo) || !finite(hi) || lo > hi {
		lo, hi = 0, 1
	}
	if zero {
		lo, hi = min(lo, 0), max(hi, 0)
	}
	nonNegative := lo >= 0 // memory, counts: no axis below zero
	// A little headroom, so that no line runs along the frame.
	if pad := (hi - lo) * 0.02; finite(pad) {
		if !zero || lo != 0 {
			lo -= pad
		}
		if !zero || hi != 0 {
			hi += pad
		}
	}
	if hi-lo < 1e-9*math.Max(math.Abs(lo), math.Abs(hi)) || hi == lo {
		pad := math.Max(math.Abs(hi)*0.05, 1)
		if integer {
			pad = math.Max(pad, 1)
		}
		lo, hi = lo-pad, hi+pad
		if zero && lo < 0 && hi-pad >= 0 {
			lo = 0
		}
	}
	if nonNegative {
		lo = max(lo, 0)
	}
	if !finite(hi - lo) {
		// Values near the float limits: draw them, without round ticks.
		return lo, hi, []float64{lo, hi}, 0
	}
	step := niceStep(hi-lo, 5)
	if integer {
		step = math.Max(step, 1)
	}
	from, to = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if to <= from {
		to = from + step
	}
	count := int(math.Round((to-from)/step)) + 1
	for i := range min(count, 50) {
		ticks = append(ticks, from+float64(i)*step)
	}
	return from, to, ticks, decimals(step)
}

// plotLine is one line of a chart.
type plotLine struct {
	label string
	color string
	dash  string    // an SVG stroke-dasharray; "" draws it solid
	t, v  []float64 // unix seconds, values
}

// plot is one chart: lines over time from the start of the run, in
// seconds, minutes or hours to fit its length, drawn as an inline SVG.
type plot struct {
	title         string
	unit          string // on the value ticks: "MB", "%"; "" for counts
	width, height int
	origin, end   float64 // unix seconds of the start and of the last sample
	lines         []plotLine
	zero          bool // the value axis includes 0 (percentages)
	integer       bool // the value ticks are whole numbers (counts)
	// warmup is the stretch before the analysed range, shaded; trend the
	// fitted line over the analysed range. Both in unix seconds.
	warmup     *[2]float64
	trend      *[2][2]float64
	trendLabel string
}

// Chart layout, in SVG units: margins around the plotting area.
const (
	marginLeft, marginRight = 72.0, 24.0
	marginTop, marginBottom = 34.0, 42.0
	titleX                  = 10.0
)

// svg draws p. Every piece of text is escaped here, as the result is
// placed in the page as is.
func (p *plot) svg() string {
	legend := p.legend()
	c := p.canvas(legend)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		p.width, p.height, p.width, p.height, html.EscapeString(p.title))
	fmt.Fprintf(&b, `<text class="title" x="%s" y="20">%s</text>`, f1(titleX), html.EscapeString(p.title))
	writeLegend(&b, legend, c.w-marginRight, c.legendY)
	fmt.Fprintf(&b, `<rect class="area" x="%s" y="%s" width="%s" height="%s" fill="#fff"/>`, f1(marginLeft), f1(c.top), f1(c.pw), f1(c.ph))
	p.writeWarmup(&b, c)
	p.writeAxes(&b, c)
	p.writeLines(&b, c)
	b.WriteString(`</svg>`)
	return b.String()
}

// f1 is a coordinate as the SVG is written: one decimal.
func f1(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// canvas is a plot's geometry: where its area lies, and where a time and a
// value fall in it.
type canvas struct {
	w, h, top, pw, ph, legendY float64
	origin, spanSeconds        float64
	unit                       timeUnit
	span                       float64 // spanSeconds in unit
	yFrom, yTo                 float64
	yTicks                     []float64
	yDec                       int
}

func (p *plot) canvas(legend []legendEntry) *canvas {
	c := &canvas{w: float64(p.width), h: float64(p.height), top: marginTop, legendY: 20, origin: p.origin}
	// The legend shares the title's row if it fits beside it, else it
	// gets a row of its own above the plot.
	if c.w-marginRight-legendWidth(legend) < titleX+titleGlyph*float64(len([]rune(p.title)))+12 {
		c.top, c.legendY = marginTop+18, 40
	}
	c.pw, c.ph = c.w-marginLeft-marginRight, c.h-c.top-marginBottom
	c.spanSeconds = p.end - p.origin
	if !(c.spanSeconds > 0) || !finite(c.spanSeconds) {
		c.spanSeconds = 60 // one sample: a minute's axis
	}
	c.unit = timeUnitFor(c.spanSeconds)
	c.span = c.spanSeconds / c.unit.seconds
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, l := range p.lines {
		for _, v := range l.v {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if p.trend != nil {
		lo, hi = min(lo, p.trend[0][1], p.trend[1][1]), max(hi, p.trend[0][1], p.trend[1][1])
	}
	c.yFrom, c.yTo, c.yTicks, c.yDec = yScale(lo, hi, p.zero, p.integer)
	return c
}

// clamp keeps every coordinate on the chart, whatever the input.
func clamp(x, a, b float64) float64 {
	if !finite(x) {
		return a
	}
	return math.Min(math.Max(x, a), b)
}

// x is where time t (seconds) falls.
func (c *canvas) x(t float64) float64 {
	return clamp(marginLeft+(t-c.origin)/c.spanSeconds*c.pw, marginLeft, marginLeft+c.pw)
}

// y is where value v falls.
func (c *canvas) y(v float64) float64 {
	return clamp(c.top+c.ph-(v-c.yFrom)/(c.yTo-c.yFrom)*c.ph, c.top, c.top+c.ph)
}

// writeWarmup shades what the verdict left out at the start.
func (p *plot) writeWarmup(b *strings.Builder, c *canvas) {
	if p.warmup == nil || p.warmup[1] <= p.warmup[0] {
		return
	}
	x0, x1 := c.x(p.warmup[0]), c.x(p.warmup[1])
	fmt.Fprintf(b, `<rect class="warmup" x="%s" y="%s" width="%s" height="%s" fill="#dfe3ea"><title>before the analysed range: warm-up, or before a late leak began</title></rect>`,
		f1(x0), f1(c.top), f1(x1-x0), f1(c.ph))
	if x1-x0 > 56 {
		fmt.Fprintf(b, `<text class="warmup-label" x="%s" y="%s">warm-up</text>`, f1(x0+4), f1(c.top+13))
	}
}

// writeAxes draws the grid, the ticks and their labels, and the axes.
func (p *plot) writeAxes(b *strings.Builder, c *canvas) {
	for _, v := range c.yTicks {
		y := c.y(v)
		label := strconv.FormatFloat(v, 'f', c.yDec, 64)
		if p.unit != "" {
			label += " " + p.unit
		}
		fmt.Fprintf(b, `<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s"/>`, f1(marginLeft), f1(y), f1(marginLeft+c.pw), f1(y))
		fmt.Fprintf(b, `<text class="tick y" x="%s" y="%s">%s</text>`, f1(marginLeft-6), f1(y+4), html.EscapeString(label))
	}
	xStep := c.unit.niceTimeStep(c.span, max(4, int(c.pw/110)))
	xDec := decimals(xStep)
	for i := 0; i <= 60; i++ {
		at := float64(i) * xStep
		if at > c.span*(1+1e-9) {
			break
		}
		x := c.x(p.origin + at*c.unit.seconds)
		fmt.Fprintf(b, `<line class="xtick" x1="%s" y1="%s" x2="%s" y2="%s"/>`, f1(x), f1(c.top+c.ph), f1(x), f1(c.top+c.ph+5))
		fmt.Fprintf(b, `<text class="tick x" x="%s" y="%s">%s %s</text>`, f1(x), f1(c.top+c.ph+18), strconv.FormatFloat(at, 'f', xDec, 64), c.unit.short)
	}
	fmt.Fprintf(b, `<text class="axis-title" x="%s" y="%s">%s from start</text>`, f1(marginLeft+c.pw/2), f1(c.h-4), c.unit.long)
	fmt.Fprintf(b, `<path class="axis" d="M%s %sV%sH%s" fill="none"/>`, f1(marginLeft), f1(c.top), f1(c.top+c.ph), f1(marginLeft+c.pw))
}

// writeLines draws the series, each downsampled to the plot's width, and
// the trend.
func (p *plot) writeLines(b *strings.Builder, c *canvas) {
	for _, l := range p.lines {
		t, v := downsample(l.t, l.v, min(maxLinePoints, max(2, 2*int(c.pw))))
		if len(t) == 0 {
			continue
		}
		dash := ""
		if l.dash != "" {
			dash = ` stroke-dasharray="` + html.EscapeString(l.dash) + `"`
		}
		fmt.Fprintf(b, `<polyline class="line" fill="none" stroke="%s" stroke-width="1.5" stroke-linejoin="round"%s points="`, html.EscapeString(l.color), dash)
		for i := range t {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(f1(c.x(t[i])))
			b.WriteByte(',')
			b.WriteString(f1(c.y(v[i])))
		}
		b.WriteString(`"/>`)
		if len(t) == 1 { // a lone sample has no line to show it
			fmt.Fprintf(b, `<circle class="dot" cx="%s" cy="%s" r="3" fill="%s"/>`, f1(c.x(t[0])), f1(c.y(v[0])), html.EscapeString(l.color))
		}
	}
	if p.trend != nil {
		fmt.Fprintf(b, `<line class="trend" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#111" stroke-width="2.5" stroke-dasharray="8 5"><title>%s</title></line>`,
			f1(c.x(p.trend[0][0])), f1(c.y(p.trend[0][1])), f1(c.x(p.trend[1][0])), f1(c.y(p.trend[1][1])), html.EscapeString(p.trendLabel))
	}
}

// legendEntry is one name in a chart's legend.
type legendEntry struct{ label, color, dash string }

// legend names the lines, when the title alone does not say what is
// drawn, and the trend.
func (p *plot) legend() []legendEntry {
	var es []legendEntry
	if len(p.lines) > 1 {
		for _, l := range p.lines {
			label := l.label
			if len(l.v) == 0 {
				label += " (no data)"
			}
			dash := ""
			if l.dash != "" {
				dash = ` stroke-dasharray="` + html.EscapeString(l.dash) + `"`
			}
			es = append(es, legendEntry{label, l.color, dash})
		}
	}
	if p.trend != nil {
		es = append(es, legendEntry{p.trendLabel, "#111", ` stroke-dasharray="6 4"`})
	}
	return es
}

// Estimated text widths, as the page cannot measure: an average glyph of
// the legend's 12px and the title's bold 15px.
const legendGlyph, titleGlyph = 7.0, 8.8

func legendWidth(es []legendEntry) float64 {
	var w float64
	for _, e := range es {
		w += legendGlyph*float64(len([]rune(e.label))) + 38
	}
	return w
}

// writeLegend draws es right-aligned at right, with its text's baseline
// at y.
func writeLegend(b *strings.Builder, es []legendEntry, right, y float64) {
	x := right
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		x -= legendGlyph * float64(len([]rune(e.label)))
		fmt.Fprintf(b, `<text class="legend" x="%.1f" y="%.1f">%s</text>`, x, y, html.EscapeString(e.label))
		x -= 24
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2.5"%s/>`, x, y-4, x+18, y-4, html.EscapeString(e.color), e.dash)
		x -= 14
	}
}
