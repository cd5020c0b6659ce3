package trend

import "math"

// trendStats is the trend of one stretch of window summaries.
type trendStats struct {
	slope float64 // Theil–Sen, per hour
	p     float64 // one-sided Mann–Kendall p-value for a rise
}

func trendOf(xs, ys []float64) trendStats {
	slope, _ := TheilSen(xs, ys)
	_, z, _ := MannKendall(ys)
	return trendStats{slope: slope, p: normalSF(z)}
}

// judgement is how judge came to its verdict, for Result and its Reason.
type judgement struct {
	verdict Verdict
	run     trendStats // over all the summaries
	whole   trendStats // over the verdict's range: from the onset of a leak
	tail    trendStats // over the last third
	// lag is the one-sided p-value that the last third falls behind the
	// whole run's slope: small when the rise stopped or slowed.
	lag float64
	// rate: judged as a rate (Options.Rate); held is the one-sided
	// rank-sum p-value that its last third lies above its first.
	rate  bool
	held  float64
	from  float64 // hours after the first summary where a leak begins
	onset bool    // from is an estimated onset, the series flat before
	late  bool    // the leak was found in the last third alone
	step  step    // the largest jump between neighbouring summaries
	// rise is the end level minus the start level, riseRate the rise per
	// hour between them.
	rise, riseRate   float64
	threshold, alpha float64
}

// judge applies the verdict rules to the window summaries xs (hours from
// the first usable point) and ys.
func judge(xs, ys []float64, o Options) judgement {
	if o.Rate {
		return judgeRate(xs, ys, o)
	}
	th := o.Threshold
	m := len(ys)
	ts := max(0, m-max(2, (m+2)/3)) // start of the last third
	j := judgement{
		verdict:   NoLeak,
		run:       trendOf(xs, ys),
		tail:      trendOf(xs[ts:], ys[ts:]),
		step:      largestStep(xs, ys, th),
		threshold: th,
		alpha:     o.Alpha,
	}
	j.whole = j.run
	j.rise, j.riseRate = levelChange(xs, ys)

	j.lag = lagP(xs[ts:], ys[ts:], j.run.slope*keepUp)
	sustained := j.lag >= o.Alpha && j.tail.slope >= th/2 && j.tail.slope > 0
	if j.run.p < o.Alpha && j.run.slope >= th && j.run.slope > 0 && sustained && !j.step.alone {
		j.verdict = Leak
		if k := onset(xs, ys, ts, th); k > 0 {
			if s := trendOf(xs[k:], ys[k:]); s.p < o.Alpha && s.slope >= j.run.slope {
				j.from, j.whole, j.onset = xs[k], s, true
			}
		}
		return j
	}
	if j.tail.p < o.Alpha && j.tail.slope >= th && j.tail.slope > 0 && !largestStep(xs[ts:], ys[ts:], th).alone {
		// A leak that began late, diluted in the whole-run slope.
		j.lateRise(Leak, xs, ys, ts, o)
		return j
	}
	// Grew by at least an hour's worth of the threshold, then stopped:
	// gradually (significant, and the last third below half the threshold
	// and at most half as steep as the average), or in one clear step.
	material := j.rise > 0 && j.rise >= th
	slowed := j.run.p < o.Alpha && j.tail.slope < th/2 && j.tail.slope <= j.riseRate/2
	if material && (slowed || j.step.alone && j.step.clear) {
		j.verdict = Plateaued
	}
	return j
}

// lagP tests whether the last third (xs, ys) keeps up with slope (judge
// gives it keepUp of the whole run's): the one-sided Mann–Kendall p-value
// for a fall of the last third with that slope taken out. A rise that goes
// on leaves a rise, one that stopped leaves a fall nearly as steep as the
// run's rise. Asking for all of the run's slope would read a rise a few
// percent slower at the end, or one bad point there, as a stop, when the
// points are regular enough for a small difference to be significant. The test is of
// stopping, not of rising, so that a last third of a few floors (a run of
// a dozen collection cycles has four) still shows a rise that goes on;
// a rise that stopped under a fraction of a megabyte of noise is found at
// once, where the last third's own slope alone, tested against half the
// threshold, reads that noise as a climb of many megabytes an hour.
func lagP(xs, ys []float64, slope float64) float64 {
	res := make([]float64, len(ys))
	for i := range ys {
		res[i] = ys[i] - slope*xs[i]
	}
	_, z, _ := MannKendall(res)
	return normalSF(-z)
}

// lateRise makes j the verdict v found in the last third alone (from
// ts), from where its onset is estimated, or else from the last third
// when the rise sped up there. A last third no faster than the whole run
// did not start or speed up late: it is the run's own rise, which the
// whole-run rules turned down (it slowed, or was one step), still at the
// threshold at the end, and the verdict holds for the whole run when its
// rise is significant.
func (j *judgement) lateRise(v Verdict, xs, ys []float64, ts int, o Options) {
	j.verdict, j.late = v, true
	j.from, j.whole = xs[ts], j.tail
	if k := onset(xs, ys, ts, o.Threshold); k > 0 {
		if s := trendOf(xs[k:], ys[k:]); s.p < o.Alpha && s.slope >= o.Threshold {
			j.from, j.whole, j.onset = xs[k], s, true
			return
		}
	}
	if !j.spedUp() && j.run.p < o.Alpha {
		j.from, j.whole = 0, j.run
	}
}

// levelChange compares the level at the end with the level at the start,
// each the median of the first or last tenth of the summaries (at least
// three, at most a third).
func levelChange(xs, ys []float64) (rise, perHour float64) {
	m := len(ys)
	k := min(max(3, m/10), m/3)
	if k < 1 {
		return 0, 0
	}
	head := median(append([]float64(nil), ys[:k]...))
	end := median(append([]float64(nil), ys[m-k:]...))
	dt := mean(xs[m-k:]) - mean(xs[:k])
	rise = end - head
	if dt > 0 {
		perHour = rise / dt
	}
	return rise, perHour
}

// step is the largest increase between neighbouring summaries.
type step struct {
	size float64
	at   float64 // hours, midway between the two summaries
	// alone: the rise is this one jump. It is at least half the rise
	// from start to end, it lifts the median level after it over the one
	// before by at least three quarters of itself, and with it taken out
	// the slope left is below half the threshold.
	alone bool
	// clear: the jump stands out of the noise, more than five standard
	// deviations of the differences between neighbours (estimated from
	// their median absolute deviation, so the jump itself does not count).
	clear bool
}

func largestStep(xs, ys []float64, threshold float64) step {
	if len(ys) < 3 {
		return step{}
	}
	at := 0
	var st step
	diffs := make([]float64, 0, len(ys)-1)
	for i := 1; i < len(ys); i++ {
		d := ys[i] - ys[i-1]
		diffs = append(diffs, d)
		if d > st.size {
			at, st.size = i, d
		}
	}
	if at == 0 {
		return step{}
	}
	st.at = (xs[at-1] + xs[at]) / 2
	rise, _ := levelChange(xs, ys)
	flat := append([]float64(nil), ys...)
	for i := at; i < len(flat); i++ {
		flat[i] -= st.size
	}
	left, _ := TheilSen(xs, flat)
	// A dip recovering is a jump too; a step also moves the median level
	// of everything before it to that of everything after.
	shift := median(append([]float64(nil), ys[at:]...)) - median(append([]float64(nil), ys[:at]...))
	st.alone = rise > 0 && st.size >= rise/2 && shift >= 0.75*st.size &&
		(left < threshold/2 || left <= 0)
	mid := median(append([]float64(nil), diffs...))
	for i, d := range diffs {
		diffs[i] = math.Abs(d - mid)
	}
	sd := 1.4826 * median(diffs)
	st.clear = st.size > 5*sd
	return st
}

// onset estimates where a rise that ends the series begins: the k in
// [1, maxK] of the flat-then-linear fit y = a + b·max(0, x - xs[k]) with the
// least squared error. It returns 0 unless that fit halves the error of a
// straight line and the part before k is flat (slope below half the
// threshold).
func onset(xs, ys []float64, maxK int, threshold float64) int {
	maxK = min(maxK, len(xs)-3)
	if maxK < 1 {
		return 0
	}
	best, bestSSE := 0, hingeSSE(xs, ys, 0)
	for k := 1; k <= maxK; k++ {
		if e := hingeSSE(xs, ys, k); e < bestSSE {
			best, bestSSE = k, e
		}
	}
	if best == 0 || bestSSE > 0.5*hingeSSE(xs, ys, 0) || best < 2 {
		return 0
	}
	if before, _ := TheilSen(xs[:best+1], ys[:best+1]); before >= threshold/2 && before > 0 {
		return 0
	}
	return best
}

// hingeSSE is the squared error of the least-squares fit of
// y = a + b·max(0, x - xs[k]); k = 0 is a straight line.
func hingeSSE(xs, ys []float64, k int) float64 {
	n := float64(len(xs))
	var sh, sy float64
	h := make([]float64, len(xs))
	for i, x := range xs {
		h[i] = max(0, x-xs[k])
		sh += h[i]
		sy += ys[i]
	}
	mh, my := sh/n, sy/n
	var shh, shy float64
	for i := range h {
		shh += (h[i] - mh) * (h[i] - mh)
		shy += (h[i] - mh) * (ys[i] - my)
	}
	b := 0.0
	if shh > 0 {
		b = shy / shh
	}
	var sse float64
	for i := range h {
		e := ys[i] - my - b*(h[i]-mh)
		sse += e * e
	}
	return sse
}

func mean(v []float64) float64 {
	var s float64
	for _, f := range v {
		s += f
	}
	return s / float64(len(v))
}

// keepUp is the part of the run's slope the last third must keep up with
// for the rise to go on (see lagP).
const keepUp = 0.75
