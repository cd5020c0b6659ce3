package trend

import (
	"math"
	"math/rand/v2"
	"testing"
)

// soak72h is 72 h at one sample a second: a GC sawtooth over a floor that
// rises 20 MB/h.
func soak72h() []Point {
	r := rand.New(rand.NewPCG(1, 1))
	pts := make([]Point, 259200)
	for i := range pts {
		h := float64(i) / 3600
		_, saw := math.Modf(h * 60 / 11)
		pts[i] = Point{T: float64(i), V: 300 + 20*h + 100*saw + 3*r.NormFloat64()}
	}
	return pts
}

func BenchmarkAnalyze259200(b *testing.B) {
	for _, o := range []struct {
		name string
		opt  Options
	}{
		{"envelope", Options{Threshold: 10, Warmup: -1, Envelope: true}},
		{"median", Options{Threshold: 10, Warmup: -1}},
	} {
		b.Run(o.name, func(b *testing.B) {
			pts := soak72h()
			b.ReportAllocs()
			for b.Loop() {
				if r := Analyze(pts, o.opt); !r.Leak {
					b.Fatalf("not a leak: %s", r.Reason)
				}
			}
		})
	}
}
