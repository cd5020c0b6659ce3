// Package trend decides whether a metric sampled over a soak run, such as the
// memory of a process tree, is leaking: growing at or above a threshold rate,
// significantly, and still growing at the end. It is pure arithmetic over a
// series; it reads no files and knows nothing of processes.
//
// # Method
//
// The series is cleaned (non-finite points dropped, sorted by time), a
// warm-up is cut from the start, and the rest is split into equal windows of
// time (60 by default). Each window is summarised by one number: its median,
// or with Options.Envelope its minimum. The minimum is the lower envelope of
// a garbage-collected heap: the floor reached after each collection is what
// the program really retains, while the peaks only say how late the
// collector ran. A sawtooth of any amplitude over a constant floor is
// therefore flat, and a floor that creeps up is a leak.
//
// A window's minimum is a floor only if the window holds a collection. With
// Envelope the collections are found in the series itself: falls from one
// point to the next of more than ten robust standard deviations of the
// differences between neighbours (their median absolute deviation, at
// least the smallest nonzero difference) that still hold from the point
// before to the one after, and from two before to two after, so that a
// spike of one or two points is not one. With two or more of them, the
// median time between them is the collection cycle, and no window is
// shorter: there are at most span/cycle windows, and no fewer than six;
// when six windows are still shorter than the cycle, each takes its minimum
// over one cycle centred on it (moved inside the run at its ends), and a
// point that is the minimum of neighbouring windows counts once. Without
// this, a short run whose collections are as far apart as its windows are
// long (a 4 h run, 300 MB collected every 40 to 90 minutes) has minima
// that trace the sawtooth, and a run that ends on a climb looks like a
// leak. The price is power: there are about as many floors as cycles, and
// five or fewer cannot reach the default Alpha however steadily they rise
// (a floor rising 20 MB/h under hourly collections is found in 12 h, not
// always in 6). A single drop that falls back to a floor seen before it is
// a collection too, its cycle at least the longer stretch without one.
// Whether a rise persists is read from the last third, so it must hold at
// least two collections, one whole cycle measured at both ends, or be as
// long as two measured cycles: with fewer collections in a shorter last
// third, its floors are where in the cycle the run stopped, and the
// verdict is Insufficient. A 10 s run of a heap growing 40 MB/s to 200 MB,
// collected every 5 s, is therefore not judged, nor is a 24 h run with
// 12 h cycles.
//
// The window summaries, not the raw points, are tested, so the cost is
// linear in the number of points plus a constant for the statistics:
//
//   - The rate is the Theil–Sen slope (Theil 1950; Sen 1968), the median of
//     the slopes of all pairs of summaries. It ignores up to ~29% of wild
//     summaries and needs no assumption about the noise.
//   - Significance comes from the Mann–Kendall test (Mann 1945; Kendall
//     1975), with the variance of its statistic S corrected for serial
//     correlation as Hamed & Rao (1998) propose: the ranks of the
//     Sen-detrended series are autocorrelated, and each lag whose
//     autocorrelation is significant at 5% widens the variance. Without the
//     correction a sawtooth or staircase looks far more certain than it is.
//
// # Verdict
//
// A series leaks when the upward trend is significant (one-sided
// p < Alpha), its slope reaches Threshold, the rise persists in the last
// third, and it is not one single step. It persists when the last third's
// slope is at least half of Threshold and the last third does not fall
// behind the whole run: Mann–Kendall on the last third with the run's
// slope taken out finds no fall at Alpha. A rise that goes on leaves no
// trend there, one that stopped a fall as steep as the rise, found however
// few summaries the last third holds. The slope alone was no test: in a
// one-minute run a series that grew and then held still under a tenth of
// a megabyte of noise has a last third whose slope is that noise, tens of
// MB/h, and read as a leak. A
// rise is one step when its largest jump between neighbouring summaries is
// at least half of it, moves the median level after the jump over the one
// before by three quarters of the jump, and leaves a slope below half of
// Threshold once taken out; a staircase of many steps is still a leak. A
// leak that begins late is caught by the last third alone (significant,
// at Threshold, not one step); its start is then estimated with a
// flat-then-linear fit and reported as Result.From. Without a flat
// start it is late only if the last third rose faster than the whole run
// (as the numbers the reason prints show); a last third no faster is the
// run's own rise, which slowed but stays at Threshold, and the verdict
// then holds for the whole run when its rise is significant.
//
// A series that rose by at least an hour's worth of Threshold and then
// stopped grew then plateaued: a cache filling, a pool reaching its size, a
// one-time step. It stopped when the rise is significant but the last third
// climbs less than half of Threshold and less than half the average rate,
// or when the rise is one step clear of the noise. Neither that nor a
// warm-up ramp is a leak. Everything else is no leak: flat, falling, spikes
// on a flat floor, or rising slower than Threshold.
//
// A rate (Options.Rate), such as the CPU a tree uses, is summarised by
// window medians: it has no collection floor, and bursts do not move a
// median. What harms is its level, so its rising verdict, Degradation,
// asks whether it rose and stayed up rather than whether it still climbs:
// the last third of the summaries lies above the first by the one-sided
// Wilcoxon–Mann–Whitney rank-sum test at Alpha, and the level at the end
// (the median of the last tenth of the summaries) stands at least
// Threshold per hour above the level at the start. The rank-sum is taken
// over the medians of five stretches of each third, not over the window
// medians themselves, which are not independent when the level wanders.
// And the last third must stand at least five hours' worth of Threshold
// above the first: on a shared host a steady load's CPU moves its level a
// few points within minutes as its neighbours come and go, which is many
// points an hour in a short run. A step up that stays is
// a degradation, one that comes back is not, and a slow ramp is judged by
// its rate. A rise that begins late is found in the last third as a late
// leak is.
//
// Too few points (Options.MinPoints) or too short a span (Options.MinSpan)
// after the warm-up give Insufficient, never a leak.
package trend
