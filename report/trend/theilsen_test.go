package trend

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestTheilSenExactLine(t *testing.T) {
	for _, want := range []struct{ slope, intercept float64 }{{3, 2}, {-0.5, 10}, {0, 7}} {
		var x, y []float64
		for i := range 20 {
			x = append(x, float64(i))
			y = append(y, want.slope*float64(i)+want.intercept)
		}
		slope, intercept := TheilSen(x, y)
		if !near(slope, want.slope, 1e-12) || !near(intercept, want.intercept, 1e-12) {
			t.Errorf("line %v: got slope %g intercept %g", want, slope, intercept)
		}
	}
}

func TestTheilSenHandExample(t *testing.T) {
	// Pair slopes of (0,1) (1,3) (2,2) (3,5) (4,4): -1 -1 1/3 1/2 3/4 1 1
	// 4/3 2 3; median (3/4+1)/2. Residuals y - 0.875x: 1 2.125 0.25 2.375
	// 0.5; median 1.
	slope, intercept := TheilSen([]float64{0, 1, 2, 3, 4}, []float64{1, 3, 2, 5, 4})
	if !near(slope, 0.875, 1e-12) || !near(intercept, 1, 1e-12) {
		t.Errorf("got slope %g intercept %g, want 0.875 and 1", slope, intercept)
	}
}

func TestTheilSenRobustToOutliers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var x, y []float64
	for i := range 200 {
		x = append(x, float64(i))
		v := 2*float64(i) + 1 + r.NormFloat64()
		if i%5 == 0 { // 20% wild, all on one side
			v += 1000 + 5000*r.Float64()
		}
		y = append(y, v)
	}
	slope, intercept := TheilSen(x, y)
	if !near(slope, 2, 0.05) || !near(intercept, 1, 3) {
		t.Errorf("got slope %g intercept %g, want about 2 and 1", slope, intercept)
	}
	if ols := olsSlope(x, y); near(ols, 2, 0.05) {
		t.Logf("least squares happens to be close too: %g", ols)
	}
}

func TestTheilSenDegenerate(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name          string
		x, y          []float64
		slope, interc float64
	}{
		{"empty", nil, nil, 0, 0},
		{"one point", []float64{1}, []float64{5}, 0, 5},
		{"same x", []float64{2, 2, 2}, []float64{1, 5, 3}, 0, 3},
		{"NaN skipped", []float64{0, 1, nan, 3}, []float64{0, 2, 100, 6}, 2, 0},
		{"Inf skipped", []float64{0, 1, 2, 3}, []float64{0, 2, math.Inf(1), 6}, 2, 0},
		{"lengths differ", []float64{0, 1, 2, 3}, []float64{1, 2}, 1, 1},
		{"unsorted x", []float64{3, 0, 2, 1}, []float64{6, 0, 4, 2}, 2, 0},
	} {
		slope, intercept := TheilSen(c.x, c.y)
		if !near(slope, c.slope, 1e-12) || !near(intercept, c.interc, 1e-12) {
			t.Errorf("%s: got slope %g intercept %g, want %g and %g", c.name, slope, intercept, c.slope, c.interc)
		}
	}
}

func olsSlope(x, y []float64) float64 {
	mx, my := mean(x), mean(y)
	var sxx, sxy float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
	}
	return sxy / sxx
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
