package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/soakrun/soakrun/report/trend"
)

// maxMermaidPoints bounds the memory chart of the job summary: mermaid
// draws every category label, and fifty is about what fits.
const maxMermaidPoints = 50

// Markdown is the analysis as a GitHub Actions job summary: the verdict on
// the first line, the key figures, each judged metric, and a mermaid chart
// of memory. It uses no HTML, so it reads the same as plain text.
func (a *Analysis) Markdown(s *Series) string {
	if a == nil {
		a = &Analysis{Verdict: trend.Insufficient}
	}
	if s == nil {
		s = NewSeries()
	}
	var b strings.Builder
	h := a.Headline()
	fmt.Fprintf(&b, "**Verdict: %s**%s", h.Title, h.Detail(mdEscape))
	if line := h.HostLine(mdEscape); line != "" {
		b.WriteString("\n\n" + line)
	}
	b.WriteString("\n\n| Figure | Value |\n|---|---|\n")
	fmt.Fprintf(&b, "| Verdict | `%s` |\n", a.Verdict)
	for _, f := range a.figures() {
		fmt.Fprintf(&b, "| %s | %s |\n", f.Label, mdEscape(f.Value))
	}
	if rows := a.metricRows(s); len(rows) > 0 {
		b.WriteString("\n| Metric | Verdict | Slope | Confidence | Reason |\n|---|---|---|---|---|\n")
		for _, r := range rows {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.Metric, r.Verdict, r.Slope, mdEscape(r.Confidence), mdEscape(r.Reason))
		}
	}
	src := a.Memory.Source
	if src == "" {
		src = TreeMemory
	}
	chartTitle := memoryTitle(src) + " (MB)"
	b.WriteString("\n")
	t, v := s.pointsOf(src)
	if chart := mermaidChart(chartTitle, "MB", s.first, s.last, t, v); chart != "" {
		b.WriteString(chart)
	} else {
		fmt.Fprintf(&b, "%s: no data.\n", chartTitle)
	}
	return b.String()
}

// mdEscape makes s plain text in a table cell: markdown's punctuation is
// backslash-escaped, so a process name cannot open a tag, a link or a new
// cell, and line breaks become spaces.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_[]<>|&#!~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mermaidChart is a fenced xychart-beta line of v over hours from origin,
// or "" when there are no points. Mermaid lays categories out evenly and
// merges equal ones, so the points are the means of equal stretches of
// time, labelled with their midpoints: one decimal of an hour where the
// run is long enough for the labels to differ, more where it is not.
func mermaidChart(title, unit string, origin, end float64, t, v []float64) string {
	n := min(len(t), len(v))
	if n == 0 {
		return ""
	}
	span := (end - origin) / 3600
	if !(span > 0) || !finite(span) {
		span = 0
	}
	quantum, dec := 0.1, 1
	for span > 0 && span/quantum < maxMermaidPoints/5 && dec < 4 {
		quantum, dec = quantum/10, dec+1
	}
	// No more points than samples: a short run's chart would be all gaps.
	most := min(n, maxMermaidPoints)
	step := quantum
	if most > 1 {
		step = math.Max(math.Ceil(span/float64(most-1)/quantum-1e-9)*quantum, quantum)
	}
	count := min(int(span/step+1e-9)+1, most)

	sums, ns := make([]float64, count), make([]int, count)
	for i := range n {
		k := int(math.Round((t[i] - origin) / 3600 / step))
		k = min(max(k, 0), count-1)
		sums[k] += v[i]
		ns[k]++
	}
	vals := make([]float64, count)
	have := -1 // the last bucket with points, to fill gaps from
	for k := range count {
		switch {
		case ns[k] > 0:
			vals[k], have = sums[k]/float64(ns[k]), k
		case have >= 0:
			vals[k] = vals[have]
		}
	}
	for k := range count { // a gap at the start takes the first value
		if ns[k] > 0 {
			for j := range k {
				vals[j] = vals[k]
			}
			break
		}
	}

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range vals {
		lo, hi = min(lo, x), max(hi, x)
	}
	pad := (hi - lo) * 0.05
	yFrom, yTo, _, yDec := yScale(lo-pad, hi+pad, false, false)
	// Points get a decimal more than the axis, so small changes show.
	vDec := min(yDec+1, 6)

	var b strings.Builder
	fmt.Fprintf(&b, "```mermaid\nxychart-beta\n    title %q\n    x-axis \"hours\" [", title)
	for k := range count {
		if k > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", strconv.FormatFloat(float64(k)*step, 'f', dec, 64))
	}
	fmt.Fprintf(&b, "]\n    y-axis %q %s --> %s\n    line [", unit,
		strconv.FormatFloat(yFrom, 'f', yDec, 64), strconv.FormatFloat(yTo, 'f', yDec, 64))
	for k, x := range vals {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatFloat(x, 'f', vDec, 64))
	}
	b.WriteString("]\n```\n")
	return b.String()
}
