package words

import "testing"

func TestNumberAndP(t *testing.T) {
	for v, want := range map[float64]string{0: "0.0", 1234.5: "1234", -12.34: "-12.3", 0.0123: "0.012", 99.96: "100.0"} {
		if got := Number(v); got != want {
			t.Errorf("Number(%g) = %q, want %q", v, got, want)
		}
	}
	for p, want := range map[float64]string{0.0004: "p<0.001", 0.0123: "p=0.012", 1: "p=1.000"} {
		if got := P(p); got != want {
			t.Errorf("P(%g) = %q, want %q", p, got, want)
		}
	}
}

func TestDistinct(t *testing.T) {
	for _, tc := range []struct {
		a, b   float64
		sa, sb string
	}{
		{19.7, 20.0, "19.7", "20.0"},
		{9.96, 10, "9.96", "10.00"},
		{4078.3, 4078, "4078.3", "4078.0"},
		{10, 10, "10.0", "10.0"},
	} {
		if sa, sb := Distinct(tc.a, tc.b); sa != tc.sa || sb != tc.sb {
			t.Errorf("Distinct(%g, %g) = %q, %q; want %q, %q", tc.a, tc.b, sa, sb, tc.sa, tc.sb)
		}
	}
}
