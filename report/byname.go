package report

import (
	"strings"

	"github.com/soakrun/soakrun/samples"
)

// nameMetrics are the tree's figures followed per executable name from the
// --top lists, in report order: what the top growers are ranked by.
var nameMetrics = []Metric{TreeMemory, Handles, Threads, TreeCPU}

// nameColumns are one executable name's series, one per nameMetrics entry.
type nameColumns [4]*column

// nameSums are one snapshot's figures of one name, summed over its listed
// members. A figure is known only when every member listed has it: a sum
// with a missing part would read as a drop.
type nameSums struct {
	name  string // the map's own key, not a read buffer's
	gen   int    // the snapshot these sums belong to
	v     [4]float64
	known [4]bool
	cols  *nameColumns // nil until the name is followed
}

// maxNames bounds the executable names followed for the top growers.
const maxNames = 64

// addTop adds one snapshot's top list, summed by executable name.
func (s *Series) addTop(t float64, top []samples.Member) {
	s.topGen++
	listed := s.listed[:0]
	for i := range top {
		m := &top[i]
		sums := s.byName[m.Name]
		if sums == nil {
			if len(s.byName) >= 2*maxNames {
				continue // a tree of ever-new names: stop learning them
			}
			name := strings.Clone(m.Name) // m.Name may point into a read buffer
			sums = &nameSums{name: name}
			s.byName[name] = sums
		}
		if sums.gen != s.topGen {
			sums.gen, sums.v, sums.known = s.topGen, [4]float64{}, [4]bool{true, true, true, true}
			listed = append(listed, sums)
		}
		sums.addFigure(0, m.RSSMB, true)
		sums.addInt(1, m.Handles)
		sums.addInt(2, m.Threads)
		if m.CPUPercent != nil {
			sums.addFigure(3, *m.CPUPercent, true)
		} else {
			sums.addFigure(3, 0, false)
		}
	}
	s.listed = listed
	for _, sums := range listed {
		if sums.cols == nil {
			if len(s.names) >= maxNames {
				continue
			}
			sums.cols = &nameColumns{}
			for i, m := range nameMetrics {
				sums.cols[i] = &column{floor: floorMetrics[m], stride: 1}
			}
			s.names[sums.name] = sums.cols
		}
		for i, c := range sums.cols {
			if sums.known[i] {
				c.add(t, sums.v[i])
			}
		}
	}
}

func (n *nameSums) addFigure(i int, v float64, known bool) {
	n.v[i] += v
	n.known[i] = n.known[i] && known
}

func (n *nameSums) addInt(i int, v *int) {
	if v == nil {
		n.addFigure(i, 0, false)
		return
	}
	n.addFigure(i, float64(*v), true)
}

// nameColumn is name's series of m, nil when it has none.
func (s *Series) nameColumn(name string, m Metric) *column {
	cols := s.names[name]
	if cols == nil {
		return nil
	}
	for i, nm := range nameMetrics {
		if nm == m {
			return cols[i]
		}
	}
	return nil
}
