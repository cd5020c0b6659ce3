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
