package report

import (
	"slices"
	"strings"

	"github.com/soakrun/soakrun/report/trend"
)

// Headline is the verdict in words, made once for every renderer: the
// stderr summary, the job summary, the HTML report and the annotations
// only lay it out.
type Headline struct {
	Verdict trend.Verdict
	// Title is the verdict for people: LEAK, CPU DEGRADATION, GREW THEN
	// PLATEAUED, NO LEAK or INSUFFICIENT DATA.
	Title string
	// Because lists the metrics behind the verdict in report order: every
	// leak and degradation, or every plateau, or else the memory metric the
	// verdict rests on.
	Because []MetricReason
	// Grew says that Because lists what grew (a leak or a plateau), not the
	// metric the verdict rests on.
	Grew bool
	// Host lists the host findings that do not fail the run, in report
	// order: host-wide figures that rose while the tree did not account
	// for the rise. A layout gives them a line of their own.
	Host []MetricReason
}

// MetricReason is one metric behind a verdict, and why.
type MetricReason struct {
	Metric Metric
	Reason string
}

// titles are the verdicts for people.
var titles = map[trend.Verdict]string{
	trend.Leak:         "LEAK",
	trend.Degradation:  "CPU DEGRADATION",
	trend.Plateaued:    "GREW THEN PLATEAUED",
	trend.NoLeak:       "NO LEAK",
	trend.Insufficient: "INSUFFICIENT DATA",
}

// Headline gives the verdict's words. It walks the report's own ordered
// list of metrics, never a map, so the same analysis always reads the same.
func (a *Analysis) Headline() Headline {
	h := Headline{Verdict: a.Verdict, Title: titles[a.Verdict]}
	if h.Title == "" {
		h.Verdict, h.Title = trend.Insufficient, titles[trend.Insufficient]
	}
	// A run that leaks and degrades is a leak, and lists both.
	// A host finding is listed with them only when it fails the run.
	failing := func(v trend.Verdict) bool { return v == trend.Leak || v == trend.Degradation }
	fails := failing(h.Verdict)
	for _, m := range metrics {
		v, ok := a.Metrics[m]
		theTree := !v.HostFinding && a.treeFigure(m)
		switch {
		case !ok:
		case fails && failing(v.Verdict) && (theTree || slices.Contains(a.Leaks, m)),
			h.Verdict == trend.Plateaued && v.Verdict == trend.Plateaued && theTree:
			h.Because = append(h.Because, MetricReason{m, v.Reason})
		case slices.Contains(a.HostFindings, m):
			h.Host = append(h.Host, MetricReason{m, v.Reason})
		}
	}
	if len(h.Because) > 0 {
		h.Grew = true
		return h
	}
	src := a.Memory.Source
	if src == "" {
		src = TreeMemory
	}
	reason := "no memory figures"
	if v, ok := a.Metrics[src]; ok {
		reason = v.Reason
	}
	h.Because = []MetricReason{{src, reason}}
	return h
}

// Sentence is the headline in one line, with each reason passed through
// escape (nil: as it is): "LEAK in process_memory_mb — floor rose …;
// process_handles — …", or "NO LEAK — memory_used_mb: floor flat …".
func (h Headline) Sentence(escape func(string) string) string {
	return h.Title + h.Detail(escape)
}

// Detail is the sentence after its title, for layouts that set the title
// apart.
func (h Headline) Detail(escape func(string) string) string {
	if h.Grew {
		return " in " + h.Reasons(escape)
	}
	return " — " + h.Reasons(escape)
}

// HostLine is the host findings that fail nothing in one line, "" when
// there are none: "host finding: disk_used_gb — …; the tree wrote 0.0
// GB/h (process_io_write_bytes): not the tree's".
func (h Headline) HostLine(escape func(string) string) string {
	if len(h.Host) == 0 {
		return ""
	}
	return "host finding: " + Headline{Because: h.Host, Grew: true}.Reasons(escape)
}

// Reasons lists the metrics behind the verdict with their reasons, for a
// layout whose title already says the verdict.
func (h Headline) Reasons(escape func(string) string) string {
	if escape == nil {
		escape = func(s string) string { return s }
	}
	sep := ": "
	if h.Grew {
		sep = " — "
	}
	parts := make([]string, len(h.Because))
	for i, r := range h.Because {
		parts[i] = string(r.Metric) + sep + escape(r.Reason)
	}
	return strings.Join(parts, "; ")
}
