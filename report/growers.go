package report

import (
	"cmp"
	"slices"

	"github.com/soakrun/soakrun/report/trend"
)

// NameTrend is one executable's trend in one figure, summed over its
// members in the --top lists and judged as the tree's figure is.
type NameTrend struct {
	Name         string        `json:"name"`
	SlopePerHour float64       `json:"slope_per_hour"`
	Unit         string        `json:"unit"`
	Verdict      trend.Verdict `json:"verdict"`
	Reason       string        `json:"reason"`
	Min          float64       `json:"min"`
	Last         float64       `json:"last"`
}

// maxGrowers is how many names each figure's ranking keeps: enough to see
// which member leaks beside the others, few enough to draw.
const maxGrowers = 3

// growers ranks the executables by how fast each figure grew. top is the
// fastest by memory whatever its sign, as the analysis always reported;
// by holds, per figure, the names that grew, fastest first.
func growers(s *Series, o Options) (top *Grower, by map[Metric][]NameTrend) {
	names := make([]string, 0, len(s.names))
	for n := range s.names {
		names = append(names, n)
	}
	slices.Sort(names) // a tie goes the same way every time
	for _, m := range nameMetrics {
		var ranked []NameTrend
		for _, n := range names {
			c := s.nameColumn(n, m)
			if c == nil || c.n == 0 {
				continue
			}
			v := judge(c, m, o)
			if v.Verdict == trend.Insufficient {
				continue
			}
			ranked = append(ranked, NameTrend{Name: n, SlopePerHour: v.SlopePerHour, Unit: v.Unit, Verdict: v.Verdict,
				Reason: v.Reason, Min: c.min, Last: c.lastVal})
		}
		slices.SortStableFunc(ranked, func(a, b NameTrend) int { return cmp.Compare(b.SlopePerHour, a.SlopePerHour) })
		if m == TreeMemory && len(ranked) > 0 {
			g := ranked[0]
			top = &Grower{Name: g.Name, MBPerHour: g.SlopePerHour, Verdict: g.Verdict, MinMB: g.Min, LastMB: g.Last}
		}
		grew := slices.DeleteFunc(ranked, func(g NameTrend) bool { return !(g.SlopePerHour > 0) })
		if len(grew) == 0 {
			continue
		}
		if by == nil {
			by = map[Metric][]NameTrend{}
		}
		by[m] = grew[:min(len(grew), maxGrowers)]
	}
	return top, by
}

// leakingGrower is the fastest grower in m when the tree leaks or
// degrades in m: the member to look at first.
func (a *Analysis) leakingGrower(m Metric) (NameTrend, bool) {
	if gs := a.TopGrowers[m]; len(gs) > 0 && (slices.Contains(a.Leaks, m) || slices.Contains(a.Degradations, m)) {
		return gs[0], true
	}
	return NameTrend{}, false
}
