package trend

// summarize splits pts (sorted, finite, spanning more than zero seconds)
// into w windows of equal time and returns one summary per non-empty
// window: x in hours since pts[0].T, y the window's minimum (envelope) or
// median. The minimum is placed at its own time, which keeps a rising floor
// from being smeared across the window; the median at the middle of the
// window's points.
func summarize(pts []Point, w int, envelope bool) (xs, ys []float64) {
	from := pts[0].T
	width := (pts[len(pts)-1].T - from) / float64(w)
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
