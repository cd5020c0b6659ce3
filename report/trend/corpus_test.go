package trend

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var corpusSeeds = []int64{1, 2, 3, 4, 5}

// olsLeak is the rule Analyze replaces: the least-squares slope over the
// whole series above the threshold.
func olsLeak(pts []Point, threshold float64) bool {
	if len(pts) < 2 {
		return false
	}
	var mt, mv float64
	for _, p := range pts {
		mt += p.T
		mv += p.V
	}
	n := float64(len(pts))
	mt, mv = mt/n, mv/n
	var stt, stv float64
	for _, p := range pts {
		stt += (p.T - mt) * (p.T - mt)
		stv += (p.T - mt) * (p.V - mv)
	}
	if stt == 0 {
		return false
	}
	return stv/stt*3600 > threshold
}

// confusion counts a detector's answers against the labels.
type confusion struct{ tp, fp, fn, tn int }

func (c *confusion) add(label, got bool) {
	switch {
	case label && got:
		c.tp++
	case label:
		c.fn++
	case got:
		c.fp++
	default:
		c.tn++
	}
}

func (c confusion) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c confusion) recall() float64    { return ratio(c.tp, c.tp+c.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func TestCorpusPrecisionRecall(t *testing.T) {
	var analyze, ols, medians confusion
	perShape := map[string]*[2]confusion{}
	var order []string
	for _, c := range Corpus(corpusSeeds) {
		r := Analyze(c.Points, c.Options())
		found := rises(r)
		old := olsLeak(c.Points, c.Threshold())
		medianOptions := c.Options()
		medianOptions.Envelope = false
		medians.add(c.Leak, rises(Analyze(c.Points, medianOptions)))
		analyze.add(c.Leak, found)
		ols.add(c.Leak, old)
		s, ok := perShape[c.Name]
		if !ok {
			s = new([2]confusion)
			perShape[c.Name] = s
			order = append(order, c.Name)
		}
		s[0].add(c.Leak, found)
		s[1].add(c.Leak, old)
		if found != c.Leak {
			t.Logf("MISS %s seed %d: want leak=%t, got %s: %s", c.Name, c.Seed, c.Leak, r.Verdict, r.Reason)
		} else if testing.Verbose() {
			t.Logf("ok   %s seed %d: %s: %s", c.Name, c.Seed, r.Verdict, r.Reason)
		}
	}
	t.Logf("%-30s %5s %-13s %-13s", "shape", "rises", "Analyze", "OLS>threshold")
	for _, name := range order {
		s := perShape[name]
		leak := s[0].tp+s[0].fn > 0
		t.Logf("%-30s %5t %-13s %-13s", name, leak, shapeScore(s[0], leak), shapeScore(s[1], leak))
	}
	t.Logf("%-16s %9s %9s %4s %4s %4s %4s", "method", "precision", "recall", "TP", "FP", "FN", "TN")
	for _, row := range []struct {
		name string
		c    confusion
	}{{"Analyze", analyze}, {"OLS>threshold", ols}, {"Analyze median", medians}} {
		t.Logf("%-16s %9.3f %9.3f %4d %4d %4d %4d", row.name, row.c.precision(), row.c.recall(), row.c.tp, row.c.fp, row.c.fn, row.c.tn)
	}
	for i, name := range []string{"Analyze", "OLS>threshold"} {
		t.Logf("%s wrong on: %s", name, wrongShapes(order, perShape, i))
	}
	if analyze.precision() < 0.95 || analyze.recall() < 0.95 {
		t.Errorf("Analyze: precision %.3f, recall %.3f; want both >= 0.95", analyze.precision(), analyze.recall())
	}
}

// wrongShapes lists the shapes detector i of perShape got wrong for any
// seed, with its false alarms (FP) or misses (FN), or says "none".
func wrongShapes(order []string, perShape map[string]*[2]confusion, i int) string {
	var out string
	for _, name := range order {
		c := perShape[name][i]
		var what string
		switch {
		case c.fp > 0:
			what = fmt.Sprintf("%d/%d FP", c.fp, c.fp+c.tn)
		case c.fn > 0:
			what = fmt.Sprintf("%d/%d FN", c.fn, c.fn+c.tp)
		default:
			continue
		}
		if out != "" {
			out += ", "
		}
		out += name + " (" + what + ")"
	}
	if out == "" {
		return "none"
	}
	return out
}

// TestCorpusShowsOLSFailures keeps the corpus honest about what it is for:
// the shorter and late shapes are there because the old rule gets them
// wrong, and must stay that way for most seeds.
func TestCorpusShowsOLSFailures(t *testing.T) {
	wrong := map[string]int{}
	seen := map[string]int{}
	for _, c := range Corpus(corpusSeeds) {
		seen[c.Name]++
		if olsLeak(c.Points, c.Threshold()) != c.Leak {
			wrong[c.Name]++
		}
	}
	for _, name := range []string{"warmup_plateau_6h", "step_6h", "sawtooth_big_4h", "late_leak_24h_small"} {
		if seen[name] == 0 {
			t.Errorf("no shape %s in the corpus", name)
		} else if 2*wrong[name] <= seen[name] {
			t.Errorf("%s: the least-squares rule is wrong on only %d of %d seeds", name, wrong[name], seen[name])
		}
	}
}

// shapeScore says how many of a shape's seeds a detector got right.
func shapeScore(c confusion, leak bool) string {
	if leak {
		return fmt.Sprintf("%d/%d found", c.tp, c.tp+c.fn)
	}
	return fmt.Sprintf("%d/%d clear", c.tn, c.tn+c.fp)
}

// TestCorpusFiles checks that testdata/trend is what the generator makes
// now, and that Analyze agrees with the labels read back from the files.
func TestCorpusFiles(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "trend")
	manifest, err := os.ReadFile(filepath.Join(dir, "cases.csv"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no testdata/trend; run go generate ./report/trend")
	}
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(manifest)).ReadAll()
	if err != nil {
		t.Fatalf("read cases.csv: %v", err)
	}
	cases := Corpus(corpusSeeds)
	if len(rows)-1 != len(cases) {
		t.Fatalf("cases.csv lists %d cases, the generator makes %d; run go generate ./report/trend", len(rows)-1, len(cases))
	}
	var got confusion
	for i, c := range cases {
		row := rows[i+1]
		if row[0] != c.FileName() || row[3] != strconv.FormatBool(c.Leak) || row[5] != map[bool]string{false: "memory_mb", true: "cpu_percent"}[c.CPU] {
			t.Fatalf("cases.csv row %d is %v, want %s leak=%t; run go generate ./report/trend", i+1, row, c.FileName(), c.Leak)
		}
		data, err := os.ReadFile(filepath.Join(dir, row[0]))
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := c.WriteCSV(&want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, want.Bytes()) {
			t.Fatalf("%s differs from the generator; run go generate ./report/trend", row[0])
		}
		pts, err := readCSV(data)
		if err != nil {
			t.Fatalf("%s: %v", row[0], err)
		}
		o, err := rowOptions(row)
		if err != nil {
			t.Fatalf("cases.csv row %d: %v", i+1, err)
		}
		got.add(row[3] == "true", rises(Analyze(pts, o)))
	}
	if got.precision() < 0.95 || got.recall() < 0.95 {
		t.Errorf("on the files: precision %.3f, recall %.3f; want both >= 0.95", got.precision(), got.recall())
	}
}

// rises is whether r is the verdict the corpus labels: a leak, or for CPU
// a degradation.
func rises(r Result) bool { return r.Verdict == Leak || r.Verdict == Degradation }

// rowOptions are the Options a row of cases.csv says its case is judged
// with.
func rowOptions(row []string) (Options, error) {
	th, err1 := strconv.ParseFloat(row[4], 64)
	warmup, err2 := -1.0, error(nil)
	if row[6] != "auto" {
		warmup, err2 = strconv.ParseFloat(row[6], 64)
	}
	span, err3 := strconv.ParseFloat(row[7], 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return Options{}, err
	}
	o := Options{Threshold: th, Warmup: warmup, MinSpan: span, Envelope: true}
	if row[5] == "cpu_percent" {
		o = Options{Threshold: th, Warmup: warmup, MinSpan: span, Rate: true}
	}
	return o, nil
}

func readCSV(data []byte) ([]Point, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("parse csv: %w", err)
	}
	pts := make([]Point, 0, len(rows))
	for i, row := range rows[1:] {
		t, err1 := strconv.ParseFloat(row[0], 64)
		v, err2 := strconv.ParseFloat(row[1], 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("line %d: %w", i+2, err)
		}
		pts = append(pts, Point{T: t, V: v})
	}
	return pts, nil
}
