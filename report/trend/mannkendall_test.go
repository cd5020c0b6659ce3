package trend

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestMannKendallHandExample(t *testing.T) {
	// y = 1 3 2 5 4. Signs of later minus earlier:
	//   from 1: + + + +   (4)
	//   from 3: - + +     (1)
	//   from 2: + +       (2)
	//   from 5: -         (-1)
	// S = 6, Var S = 5·4·15/18 = 50/3, z = (6-1)/√(50/3) = 1.2247,
	// p = 2(1 - Φ(1.2247)) = 0.2207. The ranks of the Sen-detrended
	// series (3 4 1 5 2) have lag autocorrelations -0.8 0.4 -0.1 0, none
	// beyond 1.96/√5 = 0.877, so Hamed–Rao leaves the variance alone.
	s, z, p := MannKendall([]float64{1, 3, 2, 5, 4})
	if s != 6 || !near(z, 5/math.Sqrt(50.0/3), 1e-12) || !near(p, 0.2207, 1e-4) {
		t.Errorf("got S=%g z=%g p=%g, want 6, 1.2247, 0.2207", s, z, p)
	}
}

func TestMannKendallTies(t *testing.T) {
	// y = 1 1 2: S = 0+1+1 = 2; one tie of two: Var S = (3·2·11 - 2·1·9)/18
	// = 8/3; z = 1/√(8/3) = 0.6124; p = 0.5403.
	s, z, p := MannKendall([]float64{1, 1, 2})
	if s != 2 || !near(z, 1/math.Sqrt(8.0/3), 1e-12) || !near(p, 0.5403, 1e-4) {
		t.Errorf("got S=%g z=%g p=%g, want 2, 0.6124, 0.5403", s, z, p)
	}
}

func TestMannKendallTrendAndNone(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var up, down, none []float64
	for i := range 60 {
		up = append(up, float64(i)+3*r.NormFloat64())
		down = append(down, -float64(i)+3*r.NormFloat64())
		none = append(none, 3*r.NormFloat64())
	}
	if _, z, p := MannKendall(up); z <= 0 || p > 1e-6 {
		t.Errorf("rising: z=%g p=%g", z, p)
	}
	if _, z, p := MannKendall(down); z >= 0 || p > 1e-6 {
		t.Errorf("falling: z=%g p=%g", z, p)
	}
	if _, _, p := MannKendall(none); p < 0.05 {
		t.Errorf("noise: p=%g, want no trend", p)
	}
}

func TestMannKendallAutocorrelationWidens(t *testing.T) {
	// A slow trend under strongly autocorrelated AR(1) noise (φ = 0.9):
	// the detrended ranks are serially correlated and the variance must
	// grow, or wandering noise reads as a trend.
	r := rand.New(rand.NewPCG(3, 3))
	var y []float64
	var e float64
	for i := range 60 {
		e = 0.9*e + r.NormFloat64()
		y = append(y, 0.05*float64(i)+e)
	}
	if f := hamedRaoFactor(y); f <= 1.5 {
		t.Errorf("Hamed–Rao factor for AR(1) noise = %g, want well above 1", f)
	}
	s, z, _ := MannKendall(y)
	naive := (s - math.Copysign(1, s)) / math.Sqrt(kendallVariance(y))
	if math.Abs(z) >= math.Abs(naive) {
		t.Errorf("corrected z %g not below the uncorrected %g", z, naive)
	}
}

func TestMannKendallDegenerate(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		y    []float64
		s    float64
	}{
		{"empty", nil, 0},
		{"one", []float64{3}, 0},
		{"two", []float64{3, 4}, 1},
		{"all equal", []float64{5, 5, 5, 5, 5, 5}, 0},
		{"NaN skipped", []float64{1, nan, 2, math.Inf(-1), 3}, 3},
	} {
		s, z, p := MannKendall(c.y)
		if s != c.s || math.IsNaN(z) || !(p >= 0 && p <= 1) {
			t.Errorf("%s: got S=%g z=%g p=%g, want S=%g and a p in [0,1]", c.name, s, z, p, c.s)
		}
	}
}
