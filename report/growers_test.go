package report

import (
	"bytes"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/report/trend"
	"github.com/soakrun/soakrun/samples"
)

// members is a tree of four executables over two hours: "heap" leaks
// memory, "fds" leaks handles, "spawner" leaks threads and "busy" creeps
// in CPU; each of the others holds its figures flat under noise.
func members() *Series {
	s := NewSeries()
	for i := 0; i <= 720; i++ {
		h := float64(i) / 360
		noise := float64(i%7) - 3
		heap, fds, threads, busy := 100+50*h+noise, 200+noise, 150+noise, 80+noise
		s.Add(&samples.Snapshot{
			TimestampUnix: 1e9 + float64(i)*10, Kind: samples.KindInterval, CPUPercent: fp(20), MemoryUsedMB: fp(2000),
			ProcessMemoryMB: fp(heap + fds + threads + busy), ProcessHandles: ip(40 + int(100*h)), ProcessThreads: ip(20 + int(30*h)),
			ProcessCount: ip(4), ProcessZombies: ip(0), ProcessCPUPercent: fp(12 + 20*h),
			Top: []samples.Member{
				{PID: 1, Name: "fds", RSSMB: fds, Handles: ip(10 + int(100*h)), Threads: ip(4), CPUPercent: fp(1)},
				{PID: 2, Name: "threads", RSSMB: threads, Handles: ip(10), Threads: ip(4 + int(30*h)), CPUPercent: fp(1)},
				{PID: 3, Name: "heap", RSSMB: heap, Handles: ip(10), Threads: ip(4), CPUPercent: fp(5)},
				{PID: 4, Name: "busy", RSSMB: busy, Handles: ip(10), Threads: ip(8), CPUPercent: fp(5 + 20*h + noise/10)},
			},
		})
	}
	return s
}

// Each judged figure names the executable that grew in it, from the same
// top lists, and the report draws that executable's own series.
func TestTopGrowersOfEveryFigure(t *testing.T) {
	s := members()
	a := Analyze(s, Options{Warmup: -1})
	want := map[Metric]struct {
		name  string
		slope float64
	}{TreeMemory: {"heap", 50}, Handles: {"fds", 100}, Threads: {"threads", 30}, TreeCPU: {"busy", 20}}
	for m, w := range want {
		gs := a.TopGrowers[m]
		if len(gs) == 0 || gs[0].Name != w.name || math.Abs(gs[0].SlopePerHour-w.slope) > w.slope*0.1 {
			t.Errorf("%s: growers %+v, want %s first at %g/h", m, gs, w.name, w.slope)
			continue
		}
		for _, g := range gs {
			if !(g.SlopePerHour > 0) || g.Verdict == trend.Insufficient {
				t.Errorf("%s: %+v is listed as a grower", m, g)
			}
		}
	}
	if g := a.TopGrower; g == nil || g.Name != "heap" || g.Verdict != trend.Leak {
		t.Errorf("top_grower %+v, want heap, leaking", g)
	}
	if !slicesEqual(a.Leaks, []Metric{TreeMemory, Handles, Threads}) {
		t.Fatalf("leaks %v", a.Leaks)
	}
	sum := a.Summary()
	for _, want := range []string{"fastest-growing process: heap (+", "fastest-growing in process_handles: fds (+", "fastest-growing in process_threads: threads (+"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	js, err := a.JSON()
	if err != nil || !bytes.Contains(js, []byte(`"top_growers": {`)) || !bytes.Contains(js, []byte(`"process_cpu_percent": [`)) {
		t.Errorf("analysis JSON (%v) lacks top_growers:\n%s", err, js)
	}

	var page bytes.Buffer
	if err := a.WriteHTML(&page, s); err != nil {
		t.Fatal(err)
	}
	charts := map[string]string{}
	for _, svg := range svgRe.FindAllString(page.String(), -1) {
		title := regexp.MustCompile(`aria-label="([^"]*)"`).FindStringSubmatch(svg)[1]
		charts[title] = svg
	}
	for title, grower := range map[string]string{"Tree memory (MB)": "heap", "CPU (%)": "busy", "Handles (open fds)": "fds", "Threads": "threads"} {
		svg := charts[title]
		if !strings.Contains(svg, `class="legend"`) || !strings.Contains(svg, ">"+grower+"</text>") || !strings.Contains(svg, `stroke-dasharray="5 3" points=`) {
			t.Errorf("chart %q does not draw %s's own series", title, grower)
		}
	}
	if !strings.Contains(page.String(), "Top grower in process_handles</th><td>fds (") {
		t.Error("the key figures do not name the handle leaker")
	}
}

// Files from before members carried handles and threads, and members whose
// figures could not be read, rank by memory and CPU alone.
func TestTopGrowersWithoutCounts(t *testing.T) {
	s := NewSeries()
	for i := 0; i <= 720; i++ {
		h := float64(i) / 360
		s.Add(&samples.Snapshot{TimestampUnix: float64(i) * 10, ProcessMemoryMB: fp(100 + 40*h), ProcessCount: ip(2),
			Top: []samples.Member{{PID: 1, Name: "a", RSSMB: 60 + 40*h}, {PID: 2, Name: "a", RSSMB: 40, Handles: ip(5 + i)}}})
	}
	a := Analyze(s, Options{Warmup: -1})
	if gs := a.TopGrowers[TreeMemory]; len(gs) != 1 || gs[0].Name != "a" || math.Abs(gs[0].SlopePerHour-40) > 4 {
		t.Errorf("memory growers %+v, want a at 40 MB/h (both members summed)", gs)
	}
	if gs, ok := a.TopGrowers[Handles]; ok {
		t.Errorf("handles growers %+v from a name whose members do not all have a count", gs)
	}
}

func slicesEqual(a, b []Metric) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
