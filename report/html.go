package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/soakrun/soakrun/report/trend"
)

// WriteHTML writes the analysis of s as one self-contained HTML page: the
// verdict, the key figures and charts drawn as inline SVG. The page loads
// nothing from anywhere (no script, font, style sheet or image), so it can
// be kept as a CI artifact and opened offline years later.
func (a *Analysis) WriteHTML(w io.Writer, s *Series) error {
	if a == nil {
		a = &Analysis{Verdict: trend.Insufficient}
	}
	if s == nil {
		s = NewSeries()
	}
	h := a.Headline()
	page := htmlPage{
		Verdict: string(a.Verdict),
		Title:   h.Title,
		Class:   verdictClass[h.Verdict],
		Reasons: h.Because,
		Host:    h.Host,
		Metrics: a.metricRows(s),
		Charts:  a.charts(s),
	}
	figs := a.figures()
	for i := 0; i < len(figs); i += 2 {
		page.Figures = append(page.Figures, figs[i:min(i+2, len(figs))])
	}
	if err := pageTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

type htmlPage struct {
	Verdict, Title, Class string
	Reasons               []MetricReason
	Host                  []MetricReason // host findings that fail nothing
	Figures               [][]figure
	Metrics               []metricRow
	Charts                []chartRow
}

// chartRow is charts side by side; a cell without SVG says why.
type chartRow struct{ Cells []chartCell }

type chartCell struct {
	Title  string
	SVG    template.HTML // built by plot.svg, which escapes all text
	NoData string
}

// figure is one row of the key figures, shared by the page and the job
// summary.
type figure struct{ Label, Value string }

// metricRow is one judged metric in the details table.
type metricRow struct {
	Metric                                  Metric
	Verdict, Slope, Tail, Confidence, Limit string
	Range, Reason                           string
}

// verdictClass is the page's colour for each verdict.
var verdictClass = map[trend.Verdict]string{
	trend.Leak:         "v-leak",
	trend.Degradation:  "v-leak",
	trend.Plateaued:    "v-plateau",
	trend.NoLeak:       "v-ok",
	trend.Insufficient: "v-none",
}

// figures are the numbers needed to act on the verdict.
func (a *Analysis) figures() []figure {
	na := "n/a"
	mem := memoryTitle(a.Memory.Source)
	v, judged := a.Metrics[a.Memory.Source]
	out := []figure{
		{"Duration", hours(a.DurationHours)},
		{"Samples", fmt.Sprintf("%d", a.SnapshotCount)},
	}
	if judged || a.Memory.MaxMB != 0 {
		out = append(out, figure{mem, fmt.Sprintf("min %.1f / max %.1f / avg %.1f MB", a.Memory.MinMB, a.Memory.MaxMB, a.Memory.AvgMB)})
	} else {
		out = append(out, figure{mem, "no data"})
	}
	slope := na
	if judged && v.Verdict != trend.Insufficient {
		slope = fmt.Sprintf("%+.2f MB/h (confidence %s)", a.Memory.LeakMBPerHour, confidence(v.Confidence))
	}
	out = append(out, figure{"Memory trend", slope})
	// The figures judged beside the one the verdict rests on.
	for _, m := range []Metric{TreeMemory, TreePSS} {
		if v, ok := a.Metrics[m]; ok && m != a.Memory.Source && v.Points > 0 {
			out = append(out, figure{map[Metric]string{TreeMemory: "Tree RSS sum", TreePSS: "Tree PSS"}[m], fmt.Sprintf("%.1f–%.1f MB (trend %+.2f MB/h, %s)", v.Min, v.Max, v.SlopePerHour, v.Verdict)})
		}
	}
	if n := a.OOMKills; n != nil {
		out = append(out, figure{"OOM kills", fmt.Sprintf("%d", *n)})
	}
	exhaustion := na
	if h := a.Memory.HoursToExhaustion; h != nil && finite(*h) {
		exhaustion = fmt.Sprintf("%.1f h", *h)
	}
	out = append(out, figure{"Hours to host memory exhaustion", exhaustion})
	grower := "none"
	if g := a.TopGrower; g != nil {
		grower = fmt.Sprintf("%s (%+.2f MB/h, %s)", g.Name, g.MBPerHour, g.Verdict)
	}
	out = append(out, figure{"Top grower", grower})
	for _, m := range nameMetrics[1:] {
		if g, ok := a.leakingGrower(m); ok {
			out = append(out, figure{"Top grower in " + string(m), fmt.Sprintf("%s (%+.2f %s/h, %s)", g.Name, g.SlopePerHour, g.Unit, g.Verdict)})
		}
	}
	out = append(out,
		figure{"Host CPU", fmt.Sprintf("avg %.1f%% / max %.1f%%", a.CPU.AvgPercent, a.CPU.MaxPercent)},
		figure{"Disk used", fmt.Sprintf("%.1f–%.1f GB (growth %+.2f GB)", a.Disk.MinGB, a.Disk.MaxGB, a.Disk.GrowthGB)},
	)
	return append(out, runFigures(a.Run)...)
}

// runFigures are the figures of the run itself: how it ended, what held
// it, what watching it cost.
func runFigures(r *RunFacts) []figure {
	if r == nil {
		return []figure{{"Exit code", "not recorded"}}
	}
	exit := fmt.Sprintf("%d", r.ExitCode)
	if r.Signal != "" {
		exit += " (killed by " + r.Signal + ")"
	}
	if r.Interrupted != "" {
		exit += "; soakrun interrupted by " + r.Interrupted
	}
	out := []figure{
		{"Exit code", exit},
		{"Timed out", yesNo(r.TimedOut)},
	}
	if r.StoppedEarly != "" {
		out = append(out, figure{"Stopped early", r.StoppedEarly})
	}
	if r.Containment != "" {
		out = append(out, figure{"Containment", r.Containment})
	}
	out = append(out, figure{"Leftovers killed", names(r.LeftoversKilled)})
	if len(r.Unkillable) > 0 {
		out = append(out, figure{"Unkillable", names(r.Unkillable)})
	}
	dropped := fmt.Sprintf("%d of %d", r.SamplesDropped, r.SamplesWritten+r.SamplesDropped)
	if r.WriteError != "" {
		dropped += " (" + r.WriteError + ")"
	}
	return append(out,
		figure{"Samples dropped", dropped},
		figure{"soakrun CPU", fmt.Sprintf("%.1f s", r.SoakrunCPUSeconds)},
		figure{"soakrun peak RSS", fmt.Sprintf("%.1f MB", r.SoakrunPeakRSSMB)},
	)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// names is a count and the first few names: a fork bomb's leftovers would
// otherwise fill the page.
func names(ns []string) string {
	if len(ns) == 0 {
		return "0"
	}
	shown := ns[:min(len(ns), 8)]
	s := fmt.Sprintf("%d: %s", len(ns), strings.Join(shown, ", "))
	if len(ns) > len(shown) {
		s += ", …"
	}
	return s
}

// confidence prints 1-p without claiming certainty.
func confidence(c float64) string {
	if c >= 0.999 {
		return ">99.9%"
	}
	return fmt.Sprintf("%.1f%%", math.Max(c, 0)*100)
}

// metricRows describe every judged metric, in report order.
func (a *Analysis) metricRows(s *Series) []metricRow {
	var rows []metricRow
	for _, m := range metrics {
		v, ok := a.Metrics[m]
		if !ok {
			continue
		}
		unit := v.Unit
		if unit != "" {
			unit = " " + unit
		}
		row := metricRow{
			Metric: m, Verdict: string(v.Verdict), Reason: v.Reason,
			Slope: fmt.Sprintf("%+.2f%s/h", v.SlopePerHour, unit), Tail: fmt.Sprintf("%+.2f%s/h", v.TailSlopePerHour, unit),
			Confidence: confidence(v.Confidence), Limit: "not judged", Range: "–",
		}
		switch {
		case v.HostFinding:
			row.Verdict = "host finding"
		case v.Tree != nil:
			row.Verdict += " (the tree's)"
		}
		if v.Threshold != nil {
			row.Limit = fmt.Sprintf("%g%s/h", *v.Threshold, unit)
		}
		if v.Points > 0 && v.To >= v.From && v.From >= s.first {
			row.Range = timeUnitFor(s.last-s.first).span(v.From-s.first, v.To-s.first)
		}
		rows = append(rows, row)
	}
	return rows
}

// Chart colours: distinct for people with the common colour blindnesses,
// and none of them the verdict's red.
const (
	blue   = "#1f5fbf"
	orange = "#e07b00"
	purple = "#7b3fa0"
	teal   = "#00838f"
	brown  = "#8d5a2b"
)

// charts lays out the page's charts: memory, CPU, the counts, then host
// memory and disk.
func (a *Analysis) charts(s *Series) []chartRow {
	memTitle := memoryTitle(a.Memory.Source) + " (MB)"
	src := a.Memory.Source
	if src == "" {
		src = TreeMemory
	}
	big := func(title, unit string) *plot {
		return &plot{title: title, unit: unit, width: 1100, height: 300, origin: s.first, end: s.last}
	}
	small := func(title, unit string, w int) *plot {
		return &plot{title: title, unit: unit, width: w, height: 210, origin: s.first, end: s.last}
	}

	mem := big(memTitle, "MB")
	mem.height = 330
	a.addLine(mem, s, src, "whole tree", blue, true)
	if src == CgroupMemory {
		addPlain(mem, s, CgroupCharge, "kernel's charge", brown)
		addPlain(mem, s, TreeMemory, "RSS sum", orange)
	}
	addPlain(mem, s, TreePSS, "PSS", teal)
	if src != HostMemory { // the growers are members' RSS: a tree's, never the host's
		a.addGrowers(mem, s, TreeMemory, maxGrowers)
	}
	cpu := big("CPU (%)", "%")
	cpu.height, cpu.zero = 250, true
	a.addLine(cpu, s, HostCPU, "host", purple, false)
	a.addLine(cpu, s, TreeCPU, "process tree", blue, false)
	a.addGrowers(cpu, s, TreeCPU, maxGrowers)

	counts := []Metric{Handles, Threads, Processes}
	if t, v := s.pointsOf(Zombies); len(t) > 0 && slices.Max(v) > 0 {
		counts = append(counts, Zombies)
	}
	countTitles := map[Metric]string{Handles: "Handles (open fds)", Threads: "Threads", Processes: "Processes", Zombies: "Zombies"}
	countColors := map[Metric]string{Handles: teal, Threads: orange, Processes: brown, Zombies: purple}
	var countRow chartRow
	for _, m := range counts {
		p := small(countTitles[m], "", 1100/len(counts)-10)
		p.integer = true
		a.addLine(p, s, m, "whole tree", countColors[m], false)
		a.addGrowers(p, s, m, 1) // a small chart: the fastest alone
		countRow.Cells = append(countRow.Cells, cell(p))
	}

	host := small("Host memory used (MB)", "MB", 545)
	a.addLine(host, s, HostMemory, "used", purple, false)
	disk := small("Disk used (GB)", "GB", 545)
	a.addLine(disk, s, DiskUsed, "used", brown, false)

	return []chartRow{
		{Cells: []chartCell{cell(mem)}},
		{Cells: []chartCell{cell(cpu)}},
		countRow,
		{Cells: []chartCell{cell(host), cell(disk)}},
	}
}

// addLine adds m's points to p and, if the analysis judged m, its trend
// over the analysed range and the shaded stretch before it: always for
// the memory the verdict rests on (always is set), for the others only
// when they grew, as a flat line over a flat count says nothing.
func (a *Analysis) addLine(p *plot, s *Series, m Metric, label, color string, always bool) {
	t, v := s.pointsOf(m)
	p.lines = append(p.lines, plotLine{label: label, color: color, t: t, v: v})
	r, ok := a.Metrics[m]
	if !ok || len(t) == 0 || !always && r.Verdict != trend.Leak && r.Verdict != trend.Degradation && r.Verdict != trend.Plateaued {
		return
	}
	if seg, ok := trendSegment(r, t, v); ok {
		p.trend = &seg
		unit := r.Unit
		if unit != "" {
			unit = " " + unit
		}
		p.trendLabel = fmt.Sprintf("trend %+.2f%s/h", r.SlopePerHour, unit)
		if r.From > p.origin {
			p.warmup = &[2]float64{p.origin, r.From}
		}
	}
}

// addPlain draws m beside a chart's judged line, without a trend, where
// the series has it.
func addPlain(p *plot, s *Series, m Metric, label, color string) {
	if t, v := s.pointsOf(m); len(t) > 0 {
		p.lines = append(p.lines, plotLine{label: label, color: color, t: t, v: v})
	}
}

// memoryTitle names a memory metric for people.
func memoryTitle(m Metric) string {
	switch m {
	case HostMemory:
		return "Host memory used"
	case CgroupMemory:
		return "Tree memory (kernel's charge less page cache)"
	case TreePSS:
		return "Tree PSS"
	}
	return "Tree memory"
}

// cell is p drawn, or a note when none of its lines has a point.
func cell(p *plot) chartCell {
	for _, l := range p.lines {
		if len(l.t) > 0 {
			return chartCell{Title: p.title, SVG: template.HTML(p.svg())}
		}
	}
	return chartCell{Title: p.title, NoData: "no data: this run has no samples of it"}
}

var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>soakrun: {{.Title}}</title>
<style>
` + pageStyle + `</style>
</head>
<body>
<main>
<header class="verdict {{.Class}}">
<div><span class="big">{{.Title}}</span><span class="code">verdict: {{.Verdict}}</span></div>
<ul>{{range .Reasons}}<li><b>{{.Metric}}</b>: {{.Reason}}</li>{{end}}</ul>
{{if .Host}}<p class="host">Host finding, not the tree's:</p>
<ul class="host">{{range .Host}}<li><b>{{.Metric}}</b>: {{.Reason}}</li>{{end}}</ul>{{end}}
</header>
<h2>Key figures</h2>
<table class="figures">
{{range .Figures}}<tr>{{range .}}<th>{{.Label}}</th><td>{{.Value}}</td>{{end}}</tr>
{{end}}</table>
<h2>Charts</h2>
{{range .Charts}}<div class="row">{{range .Cells}}<div>{{if .SVG}}{{.SVG}}{{else}}<div class="nodata"><h3>{{.Title}}</h3>{{.NoData}}</div>{{end}}</div>{{end}}</div>
{{end}}<p class="note">The dashed line has the analysis's slope over the range its verdict holds for, drawn through the median of the points' offsets from it (as Theil–Sen places its intercept); the analysis measures memory on its floor, so the line may sit above the lowest points. The shaded start is left out of the verdict: the warm-up, or the time before a late leak began. Lines show each stretch's lowest and highest sample, so spikes survive.</p>
<h2>Metrics</h2>
{{if .Metrics}}<table class="metrics">
<tr><th>metric</th><th>verdict</th><th>slope</th><th>last third</th><th>confidence</th><th>threshold</th><th>analysed</th><th>reason</th></tr>
{{range .Metrics}}<tr><td><code>{{.Metric}}</code></td><td>{{.Verdict}}</td><td class="n">{{.Slope}}</td><td class="n">{{.Tail}}</td><td class="n">{{.Confidence}}</td><td class="n">{{.Limit}}</td><td class="n">{{.Range}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>{{else}}<p class="note">No metric had samples to judge.</p>{{end}}
</main>
</body>
</html>
`))
