package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

const evilName = "<script>alert(1)</script>"

// leakPage is the page of a two-hour run leaking 30 MB/h, whose fastest
// grower is named as markup.
func leakPage(t *testing.T) (*Analysis, *Series, string) {
	t.Helper()
	s := run(func(h float64) float64 { return 200 + 30*h }, flat)
	s.names[evilName] = s.names["leaker"]
	delete(s.names, "leaker")
	a := Analyze(s, Options{Warmup: -1})
	if a.Verdict != trend.Leak || a.TopGrower == nil || a.TopGrower.Name != evilName {
		t.Fatalf("verdict %s, top grower %+v: the fixture is not a leak with a named grower", a.Verdict, a.TopGrower)
	}
	a.Run = &RunFacts{ExitCode: 3, SamplesWritten: 720, SamplesDropped: 2, LeftoversKilled: []string{"sleep"},
		SoakrunCPUSeconds: 1.25, SoakrunPeakRSSMB: 14.5, StoppedEarly: "--abort-on-leak: leak in process_memory_mb"}
	var buf bytes.Buffer
	if err := a.WriteHTML(&buf, s); err != nil {
		t.Fatal(err)
	}
	return a, s, buf.String()
}

var (
	urlRe    = regexp.MustCompile(`(?i)https?://[^\s"'<>)]*`)
	pointsRe = regexp.MustCompile(`<polyline[^>]*points="([^"]*)"`)
	svgRe    = regexp.MustCompile(`(?s)<svg.*?</svg>`)
	// nonFinite is how fmt and strconv print NaN and the infinities.
	nonFinite = regexp.MustCompile(`NaN|[+-]Inf`)
)

func TestHTMLLeakPage(t *testing.T) {
	_, _, page := leakPage(t)

	if n := strings.Count(page, "<svg"); n < 4 {
		t.Errorf("%d charts, want at least 4", n)
	}
	for _, u := range urlRe.FindAllString(page, -1) {
		if u != "http://www.w3.org/2000/svg" {
			t.Errorf("page refers to %q: it must load nothing", u)
		}
	}
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "src=", "url(", "@import", "<link"} {
		if strings.Contains(lower, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{`class="verdict v-leak"`, ">LEAK<", "verdict: leak", "<b>process_memory_mb</b>: floor rose",
		"Tree memory (MB)", "CPU (%)", "Handles (open fds)", "Disk used (GB)", " MB</text>", " h</text>",
		"Exit code</th><td>3<", "Stopped early</th><td>--abort-on-leak: leak in process_memory_mb<", "Samples dropped</th><td>2 of 722<", "soakrun peak RSS</th><td>14.5 MB<"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the top grower's name is not on the page escaped")
	}
	if c := strings.Count(page, `class="trend"`); c != 1 {
		t.Errorf("%d trend lines, want 1 (tree memory)", c)
	}
	if !strings.Contains(page, `class="warmup"`) {
		t.Error("no warm-up shading")
	}

	lines := pointsRe.FindAllStringSubmatch(page, -1)
	if len(lines) != 8 { // memory and its top grower, host CPU, 3 counts, host memory, disk; no tree CPU
		t.Errorf("%d lines drawn, want 8", len(lines))
	}
	for _, l := range lines {
		if n := len(strings.Fields(l[1])); n > maxLinePoints || n < 2 {
			t.Errorf("a line has %d points, want 2..%d", n, maxLinePoints)
		}
	}

	// Each chart must be XML on its own, and the page must tokenise as
	// HTML with its elements closed.
	svgs := svgRe.FindAllString(page, -1)
	if len(svgs) != strings.Count(page, "<svg") {
		t.Errorf("%d <svg, %d closed", strings.Count(page, "<svg"), len(svgs))
	}
	for _, svg := range svgs {
		if err := wellFormed(svg, true); err != nil {
			t.Errorf("chart is not well-formed XML: %v", err)
		}
	}
	if err := wellFormed(page, false); err != nil {
		t.Errorf("page does not parse: %v", err)
	}
}

// wellFormed reads doc as XML, strictly or as HTML with its void elements.
func wellFormed(doc string, strict bool) error {
	d := xml.NewDecoder(strings.NewReader(doc))
	if !strict {
		d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	}
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		return errors.New("unclosed elements")
	}
	return nil
}

func TestHTMLTrendLineFollowsTheAnalysis(t *testing.T) {
	a, s, _ := leakPage(t)
	r := a.Metrics[TreeMemory]
	tt, vv := s.pointsOf(TreeMemory)
	seg, ok := trendSegment(r, tt, vv)
	if !ok {
		t.Fatal("no trend segment for a leak")
	}
	if seg[0][0] != r.From || seg[1][0] != r.To || r.From <= s.first {
		t.Errorf("segment spans %v..%v, analysis %v..%v (series from %v)", seg[0][0], seg[1][0], r.From, r.To, s.first)
	}
	if rise, want := seg[1][1]-seg[0][1], r.SlopePerHour*(r.To-r.From)/3600; math.Abs(rise-want) > 1e-9 {
		t.Errorf("segment rises %v, the slope says %v", rise, want)
	}
	// Through the middle of the sawtooth: 200+30h plus 0..40 MB.
	mid := seg[0][1] - 30*(r.From-s.first)/3600
	if mid < 205 || mid > 235 {
		t.Errorf("segment starts %v MB above the leak's base line, want about 20", mid-200)
	}
	if _, ok := trendSegment(MetricVerdict{Result: trend.Result{Verdict: trend.Insufficient}}, tt, vv); ok {
		t.Error("a trend drawn for insufficient data")
	}
}

func TestDownsampleKeepsSpikes(t *testing.T) {
	n := 100000
	tt, vv := make([]float64, n), make([]float64, n)
	for i := range n {
		tt[i], vv[i] = float64(i), 100+math.Sin(float64(i)/500)
	}
	vv[31337], vv[77777] = 5000, -20
	dt, dv := downsample(tt, vv, maxLinePoints)
	if len(dt) > maxLinePoints || len(dt) != len(dv) || len(dt) < maxLinePoints-2 {
		t.Fatalf("%d points (%d values), want at most %d", len(dt), len(dv), maxLinePoints)
	}
	var spike, dip bool
	for i := range dt {
		if i > 0 && dt[i] <= dt[i-1] {
			t.Fatalf("time goes back at %d", i)
		}
		spike = spike || dt[i] == 31337 && dv[i] == 5000
		dip = dip || dt[i] == 77777 && dv[i] == -20
	}
	if !spike || !dip {
		t.Errorf("spike kept %v, dip kept %v", spike, dip)
	}
	for _, k := range []int{0, 1, 2, 3} {
		if dt, dv := downsample(tt[:k], vv[:k], maxLinePoints); len(dt) != k || len(dv) != k {
			t.Errorf("%d points became %d", k, len(dt))
		}
	}
}

func TestHTMLLongRunIsDownsampled(t *testing.T) {
	s := NewSeries()
	for i := 0; i <= 72*360; i++ { // 72 hours every 10 s
		s.Add(&samples.Snapshot{TimestampUnix: 1.7e9 + float64(i)*10, MemoryUsedMB: fp(4000 + math.Mod(float64(i), 17)), CPUPercent: fp(5)})
	}
	var buf bytes.Buffer
	if err := Analyze(s, Options{Warmup: -1}).WriteHTML(&buf, s); err != nil {
		t.Fatal(err)
	}
	most := 0
	for _, l := range pointsRe.FindAllStringSubmatch(buf.String(), -1) {
		most = max(most, len(strings.Fields(l[1])))
	}
	if most > maxLinePoints || most < maxLinePoints/2 {
		t.Errorf("longest line has %d points of %d, want %d at most and not too few", most, s.Len(), maxLinePoints)
	}
}

func TestYScaleConstantAndZero(t *testing.T) {
	for _, c := range []struct {
		lo, hi        float64
		zero, integer bool
	}{{8, 8, false, true}, {0, 0, true, false}, {200, 260, false, false}, {-5, 1e6, false, false}, {0.001, 0.002, true, false}, {1, 0, false, false}} {
		from, to, ticks, _ := yScale(c.lo, c.hi, c.zero, c.integer)
		if !(from < to) || len(ticks) < 2 || len(ticks) > 50 {
			t.Errorf("yScale(%v): %v..%v ticks %v", c, from, to, ticks)
			continue
		}
		if c.lo <= c.hi && (from > c.lo || to < c.hi) {
			t.Errorf("yScale(%v): %v..%v does not cover the values", c, from, to)
		}
		if c.zero && from > 0 {
			t.Errorf("yScale(%v) starts at %v, above zero", c, from)
		}
	}
}

func TestHTMLHostOnlyShortRunIsInsufficient(t *testing.T) {
	s := NewSeries()
	for i := range 3 {
		s.Add(&samples.Snapshot{TimestampUnix: 1e9 + float64(i)*10, CPUPercent: fp(10 + float64(i)),
			MemoryUsedMB: fp(3000), MemoryAvailableMB: fp(5000), DiskUsedGB: fp(40)})
	}
	a := Analyze(s, Options{Warmup: -1})
	var buf bytes.Buffer
	if err := a.WriteHTML(&buf, s); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{"verdict: insufficient_data", `class="verdict v-none"`, "INSUFFICIENT DATA",
		"Host memory used (MB)", "<h3>Handles (open fds)</h3>no data", "usable points, need 10"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, `class="trend"`) {
		t.Error("a trend line drawn for insufficient data")
	}
	if n := strings.Count(page, "<svg"); n != 4 { // host memory twice, CPU, disk
		t.Errorf("%d charts, want 4", n)
	}
}

// TestHTMLOddInputs must not panic: nothing at all, one sample, constant
// values, no tree, a zero Series, no analysis.
func TestHTMLOddInputs(t *testing.T) {
	one := NewSeries()
	one.Add(&samples.Snapshot{TimestampUnix: 5, ProcessMemoryMB: fp(10), ProcessCount: ip(1), CPUPercent: fp(0)})
	flatRun := run(func(float64) float64 { return 0 }, func(float64) float64 { return 0 })
	cases := map[string]struct {
		a *Analysis
		s *Series
	}{
		"empty":      {Analyze(NewSeries(), Options{}), NewSeries()},
		"one sample": {Analyze(one, Options{}), one},
		"constant":   {Analyze(flatRun, Options{}), flatRun},
		"zero":       {&Analysis{}, &Series{}},
		"nil":        {nil, nil},
	}
	for name, c := range cases {
		var buf bytes.Buffer
		if err := c.a.WriteHTML(&buf, c.s); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if page := buf.String(); !strings.HasSuffix(page, "</html>\n") || nonFinite.MatchString(page) {
			t.Errorf("%s: page incomplete or holds NaN/Inf", name)
		}
		if md := c.a.Markdown(c.s); !strings.HasPrefix(md, "**Verdict: ") || nonFinite.MatchString(md) {
			t.Errorf("%s: markdown %q", name, md)
		}
	}
}

func TestHTMLRendersInChromium(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no chromium in PATH")
	}
	_, _, page := leakPage(t)
	dir := testproc.TempDir(t)
	htmlPath, shot := filepath.Join(dir, "report.html"), filepath.Join(dir, "shot.png")
	if err := os.WriteFile(htmlPath, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--hide-scrollbars", "--window-size=1200,2000",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "file://"+htmlPath)
	cmd.WaitDelay = 5 * time.Second // a helper left holding the pipes must not hang the test
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	colours, nonWhite, red := pixelStats(img)
	total := img.Bounds().Dx() * img.Bounds().Dy()
	t.Logf("screenshot %dx%d: %d distinct colours, %.1f%% not white, %.2f%% strongly red",
		img.Bounds().Dx(), img.Bounds().Dy(), colours, 100*float64(nonWhite)/float64(total), 100*float64(red)/float64(total))
	if colours < 8 {
		t.Errorf("%d distinct colours: the page looks blank", colours)
	}
	if float64(nonWhite)/float64(total) < 0.02 {
		t.Errorf("only %d of %d pixels are not white", nonWhite, total)
	}
	if float64(red)/float64(total) < 0.005 {
		t.Errorf("only %d strongly red pixels: the leak verdict is not shown in red", red)
	}
	// SOAKRUN_REPORT_KEEP keeps the page and its screenshot for people to see.
	if keep := os.Getenv("SOAKRUN_REPORT_KEEP"); keep != "" {
		png, _ := os.ReadFile(shot)
		if err := errors.Join(os.WriteFile(keep+".html", []byte(page), 0o644), os.WriteFile(keep+".png", png, 0o644)); err != nil {
			t.Error(err)
		}
	}
}

// pixelStats counts img's distinct colours, its pixels that are not
// white, and those in the leak verdict's red.
func pixelStats(img image.Image) (colours, nonWhite, red int) {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			seen[[3]uint32{r, g, bl}] = true
			if r < 250 || g < 250 || bl < 250 {
				nonWhite++
			}
			if r >= 160 && g <= 80 && bl <= 80 {
				red++
			}
		}
	}
	return len(seen), nonWhite, red
}
