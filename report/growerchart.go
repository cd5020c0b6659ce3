package report

import "slices"

// growerColors draw the top growers' own lines: distinct from each other
// and from the whole tree's blue, the host's purple and the verdict's red.
var growerColors = []string{orange, teal, brown, "#2e7d32", "#5d6d7e"}

// addGrowers adds the series of m's fastest growers, at most n, to p as
// dashed lines named by executable, so a reader sees which member grows
// beside the whole tree's sum.
func (a *Analysis) addGrowers(p *plot, s *Series, m Metric, n int) {
	gs := a.TopGrowers[m]
	for _, g := range gs[:min(n, len(gs))] {
		c := s.nameColumn(g.Name, m)
		if c == nil || len(c.t) == 0 {
			continue
		}
		p.lines = append(p.lines, plotLine{label: g.Name, color: freeColor(p), dash: "5 3", t: c.t, v: c.v})
	}
}

// freeColor is the first grower colour no line of p has yet.
func freeColor(p *plot) string {
	for _, c := range growerColors {
		if !slices.ContainsFunc(p.lines, func(l plotLine) bool { return l.color == c }) {
			return c
		}
	}
	return growerColors[len(p.lines)%len(growerColors)]
}
