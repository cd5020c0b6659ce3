package trend

import (
	"math"
	"sort"
)

// summarize splits pts (sorted, finite, spanning more than zero seconds)
// into w windows of equal time and returns one summary per non-empty
// window: x in hours since pts[0].T, y the window's minimum (envelope) or
// median. The minimum is placed at its own time, which keeps a rising floor
// from being smeared across the window; the median at the middle of the
// window's points.
//
// With envelope and a reach longer than the windows, each window's minimum
// is taken over reach seconds centred on the window (moved inside the
// series at its ends), so that it spans a whole collection cycle; a point
// that is the minimum of neighbouring windows is one summary, not several.
func summarize(pts []Point, w int, envelope bool, reach float64) (xs, ys []float64) {
	from := pts[0].T
	width := (pts[len(pts)-1].T - from) / float64(w)
	if envelope && reach > width {
		return widenedMinima(pts, w, reach)
	}
	xs = make([]float64, 0, w)
	ys = make([]float64, 0, w)
	var scratch []float64
	for i := 0; i < len(pts); {
		win := windowOf(pts[i].T, from, width, w)
		j := i + 1
		for j < len(pts) && windowOf(pts[j].T, from, width, w) == win {
			j++
		}
		part := pts[i:j]
		if envelope {
			lo := part[0]
			for _, p := range part[1:] {
				if p.V < lo.V {
					lo = p
				}
			}
			xs = append(xs, (lo.T-from)/3600)
			ys = append(ys, lo.V)
		} else {
			scratch = scratch[:0]
			for _, p := range part {
				scratch = append(scratch, p.V)
			}
			mid := part[0].T/2 + part[len(part)-1].T/2
			xs = append(xs, (mid-from)/3600)
			ys = append(ys, median(scratch))
		}
		i = j
	}
	return xs, ys
}

// widenedMinima is summarize's envelope for windows shorter than reach.
func widenedMinima(pts []Point, w int, reach float64) (xs, ys []float64) {
	from, to := pts[0].T, pts[len(pts)-1].T
	width := (to - from) / float64(w)
	reach = min(reach, to-from)
	xs = make([]float64, 0, w)
	ys = make([]float64, 0, w)
	last := -1
	for k := range w {
		lo := from + (float64(k)+0.5)*width - reach/2
		lo = max(from, min(lo, to-reach))
		hi := lo + reach
		a := sort.Search(len(pts), func(i int) bool { return pts[i].T >= lo })
		b := sort.Search(len(pts), func(i int) bool { return pts[i].T > hi })
		if a >= b {
			continue
		}
		at := a
		for i := a + 1; i < b; i++ {
			if pts[i].V < pts[at].V {
				at = i
			}
		}
		if at == last {
			continue
		}
		last = at
		xs = append(xs, (pts[at].T-from)/3600)
		ys = append(ys, pts[at].V)
	}
	return xs, ys
}

// windowOf is the index of the window holding t, the last window closed at
// its end.
func windowOf(t, from, width float64, w int) int {
	f := (t - from) / width
	if !(f >= 0) { // also NaN from a zero width
		return 0
	}
	if f >= float64(w) {
		return w - 1
	}
	return int(f)
}

// Collections are told from noise by dropFactor robust standard deviations
// of the differences between neighbouring points, with the scale estimated
// from at most scaleSample of those differences.
const (
	dropFactor  = 10
	scaleSample = 4096
)

// collectionCycle estimates the time in seconds between the collections
// of a garbage-collected heap in pts (sorted and finite): the median
// interval between drops, falls from one point to the next far below the
// noise. The noise is the spread of the differences between neighbours:
// their median absolute deviation, and at least the smallest nonzero
// difference so that values rounded to whole units do not make every
// unit's fall a drop.
//
// A single drop that falls back to a floor seen before it, not more than
// half of itself below the lowest earlier point, is a collection whose
// cycle is not seen whole, but is at least as long as the longer stretch
// without one, before the drop or after it: a run that holds one
// collection holds at most two cycles, however its minima line up. A
// single drop far below anything earlier is a step down, not a cycle. It
// returns 0 when there is no cycle.
func collectionCycle(pts []Point) float64 {
	drops := collections(pts)
	switch len(drops) {
	case 0:
		return 0
	case 1:
		i := drops[0]
		before := pts[0].V
		for _, p := range pts[:i] {
			before = min(before, p.V)
		}
		after := pts[i].V
		for _, p := range pts[i+1 : min(i+3, len(pts))] {
			after = min(after, p.V)
		}
		if after < before-(pts[i-1].V-after)/2 {
			return 0
		}
		return max(pts[i].T-pts[0].T, pts[len(pts)-1].T-pts[i].T)
	}
	gaps := make([]float64, len(drops)-1)
	for k := range gaps {
		gaps[k] = pts[drops[k+1]].T - pts[drops[k]].T
	}
	return median(gaps)
}

// collections returns the indexes of the drops in pts: each the first
// point after a fall.
func collections(pts []Point) []int {
	n := len(pts) - 1
	if n < 5 {
		return nil
	}
	stride := (n + scaleSample - 1) / scaleSample
	sample := make([]float64, 0, n/stride+1)
	for i := 1; i <= n; i += stride {
		sample = append(sample, pts[i].V-pts[i-1].V)
	}
	mid := median(sample)
	for i, d := range sample {
		sample[i] = math.Abs(d - mid)
	}
	sd := 1.4826 * median(sample)
	resolution := math.Inf(1)
	for i := 1; i <= n; i++ {
		if d := math.Abs(pts[i].V - pts[i-1].V); d > 0 {
			resolution = min(resolution, d)
		}
	}
	if math.IsInf(resolution, 1) { // constant
		return nil
	}
	limit := min(0, mid-dropFactor*max(sd, resolution))
	var drops []int
	prev := -1
	for i := 3; i+2 <= n; i++ {
		// The fall holds from the point before to the one after, and half
		// of it from two before to two after: a spike up or down of one
		// or two points comes back at once, while a heap collected every
		// eight samples has climbed back more than half of it by then.
		if pts[i].V-pts[i-1].V >= limit || pts[i+1].V-pts[i-2].V >= limit || pts[i+2].V-pts[i-3].V >= limit/2 {
			continue
		}
		if prev >= 0 && i-prev <= 2 {
			continue // the same collection, falling over several points
		}
		drops = append(drops, i)
		prev = i
	}
	return drops
}
