package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// WriteHTML writes the comparison as one self-contained page: the verdict,
// a row per metric, and each metric's two runs on one chart, both drawn
// from their own start so that runs of different lengths line up.
func (c *Comparison) WriteHTML(w io.Writer, base, next *Series) error {
	page := comparePage{
		Verdict: string(c.Verdict),
		Title:   "COMPARED WITH THE BASELINE: " + strings.ToUpper(strings.ReplaceAll(string(c.Verdict), "_", " ")),
		Class:   compareClass[c.Verdict],
		Shape: fmt.Sprintf("Baseline %s, %d samples every %.3g s; new run %s, %d samples every %.3g s.",
			hours(c.Base.DurationHours), c.Base.Samples, c.Base.IntervalSeconds,
			hours(c.New.DurationHours), c.New.Samples, c.New.IntervalSeconds),
	}
	end := max(base.last-base.first, next.last-next.first)
	for _, m := range metrics {
		mc, ok := c.Metrics[m]
		if !ok {
			continue
		}
		row := compareRow{Metric: m, Unit: mc.Unit, Verdict: string(mc.Verdict), Reason: mc.Reason}
		page.Rows = append(page.Rows, row)
		if mc.Verdict != Same {
			page.Changed = append(page.Changed, row)
		}
		p := &plot{title: fmt.Sprintf("%s (%s): %s", m, mc.Unit, mc.Verdict), unit: mc.Unit, width: 1100, height: 260, end: end,
			zero: rateMetrics[m]}
		for _, run := range []struct {
			s     *Series
			label string
			color string
		}{{base, "baseline", blue}, {next, "new run", orange}} {
			t, v := run.s.pointsOf(m)
			from := make([]float64, len(t))
			for i := range t {
				from[i] = t[i] - run.s.first
			}
			p.lines = append(p.lines, plotLine{label: run.label, color: run.color, t: from, v: v})
		}
		page.Charts = append(page.Charts, cell(p))
	}
	if err := compareTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("write comparison page: %w", err)
	}
	return nil
}

// compareClass is the page's colour for each verdict.
var compareClass = map[Change]string{Worse: "v-leak", Same: "v-ok", Better: "v-ok", Incomparable: "v-none"}

type comparePage struct {
	Verdict, Title, Class, Shape string
	Changed, Rows                []compareRow // Changed: not the same
	Charts                       []chartCell
}

type compareRow struct {
	Metric                Metric
	Unit, Verdict, Reason string
}

var compareTemplate = template.Must(template.New("compare").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>soakrun compare: {{.Verdict}}</title>
<style>
` + pageStyle + `</style>
</head>
<body>
<main>
<header class="verdict {{.Class}}">
<div><span class="big">{{.Title}}</span><span class="code">verdict: {{.Verdict}}</span></div>
<ul>{{range .Changed}}<li><b>{{.Metric}}</b> {{.Verdict}}: {{.Reason}}</li>{{else}}<li>no metric changed by as much as counts</li>{{end}}</ul>
</header>
<p class="note">{{.Shape}} Each run is measured after its own warm-up: the level its trend line starts from and its slope, each difference tested against both runs' own noise.</p>
<h2>Metrics</h2>
<table class="metrics">
<tr><th>metric</th><th>verdict</th><th>why</th></tr>
{{range .Rows}}<tr><td><code>{{.Metric}}</code> ({{.Unit}})</td><td>{{.Verdict}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>
<h2>Both runs, from their start</h2>
{{range .Charts}}<div class="row"><div>{{if .SVG}}{{.SVG}}{{else}}<div class="nodata"><h3>{{.Title}}</h3>{{.NoData}}</div>{{end}}</div></div>
{{end}}</main>
</body>
</html>
`))
