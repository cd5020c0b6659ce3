package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/soakrun/soakrun/report/internal/words"
)

// reason says in one line what changed: the figures whose change counts,
// or that none does and by how much they moved.
func (mc MetricChange) reason() string {
	unit := mc.Unit
	if unit != "" {
		unit = " " + unit
	}
	level := fmt.Sprintf("level %s%s against %s (%s)", words.Number(mc.New.Level), unit, words.Number(mc.Base.Level), effect(*mc.Level, unit))
	slope := fmt.Sprintf("slope %s%s/h against %s (%s)", signed(mc.New.SlopePerHour), unit, signed(mc.Base.SlopePerHour), effect(*mc.Slope, unit+"/h"))
	var counted []string
	for _, part := range []struct {
		d    *Difference
		text string
	}{{mc.Slope, slope}, {mc.Level, level}} {
		if part.d.Verdict == mc.Verdict {
			counted = append(counted, part.text)
		}
	}
	if mc.Verdict == Same {
		return "no change that counts: " + slope + "; " + level
	}
	return strings.Join(counted, "; ")
}

// effect is a difference for people: the change, the relative change and
// its p-value.
func effect(d Difference, unit string) string {
	s := signed(d.Change) + unit
	if d.Relative != nil && math.Abs(*d.Relative) < 100 {
		s += fmt.Sprintf(", %+.0f%%", 100**d.Relative)
	}
	return s + ", " + words.P(d.P)
}

// Summary is the comparison in one line for stderr: the verdict, then
// each metric that counts.
func (c *Comparison) Summary() string {
	title := strings.ToUpper(strings.ReplaceAll(string(c.Verdict), "_", " "))
	var parts []string
	for _, m := range metrics {
		if mc, ok := c.Metrics[m]; ok && (mc.Verdict == c.Verdict && mc.Verdict != Same || c.Verdict == Incomparable) {
			parts = append(parts, string(m)+": "+mc.Reason)
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("compared with the baseline: %s (%d metrics)", title, len(c.Metrics))
	}
	return fmt.Sprintf("compared with the baseline: %s in %s", title, strings.Join(parts, "; "))
}

// Markdown is the comparison as a block for a GitHub Actions job summary:
// the verdict, then a row per metric.
func (c *Comparison) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**Compared with the baseline: %s**\n\n", strings.ToUpper(strings.ReplaceAll(string(c.Verdict), "_", " ")))
	fmt.Fprintf(&b, "Baseline %s, %d samples; new run %s, %d samples.\n\n",
		hours(c.Base.DurationHours), c.Base.Samples, hours(c.New.DurationHours), c.New.Samples)
	b.WriteString("| Metric | Verdict | Level (base → new) | Slope per hour (base → new) | Peak (base → new) | Median (base → new) | Why |\n|---|---|---|---|---|---|---|\n")
	for _, m := range metrics {
		mc, ok := c.Metrics[m]
		if !ok {
			continue
		}
		pair := func(f func(RunFigures) float64, sign bool) string {
			if mc.Base.Reason != "" || mc.New.Reason != "" {
				return "–"
			}
			if sign {
				return signed(f(mc.Base)) + " → " + signed(f(mc.New))
			}
			return words.Number(f(mc.Base)) + " → " + words.Number(f(mc.New))
		}
		fmt.Fprintf(&b, "| `%s` (%s) | %s | %s | %s | %s | %s | %s |\n", m, mc.Unit, mc.Verdict,
			pair(func(f RunFigures) float64 { return f.Level }, false),
			pair(func(f RunFigures) float64 { return f.SlopePerHour }, true),
			pair(func(f RunFigures) float64 { return f.Peak }, false),
			pair(func(f RunFigures) float64 { return f.Median }, false),
			mdEscape(mc.Reason))
	}
	return b.String()
}

func signed(v float64) string {
	if v >= 0 {
		return "+" + words.Number(v)
	}
	return words.Number(v)
}
