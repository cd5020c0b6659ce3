package report

import (
	"strings"
	"testing"

	"github.com/soakrun/soakrun/report/trend"
)

// TestHeadlineIsDeterministic: with two plateaued metrics the words come
// from the report's ordered metric list, so every call, and every
// renderer, says the same in the same order.
func TestHeadlineIsDeterministic(t *testing.T) {
	a := &Analysis{
		Verdict: trend.Plateaued,
		Memory:  MemoryStats{Source: TreeMemory},
		Metrics: map[Metric]MetricVerdict{
			Zombies:    {Result: trend.Result{Verdict: trend.Plateaued, Reason: "zombies grew then held"}},
			TreeMemory: {Result: trend.Result{Verdict: trend.NoLeak, Reason: "flat"}},
			Handles:    {Result: trend.Result{Verdict: trend.Plateaued, Reason: "handles grew then held"}},
			Threads:    {Result: trend.Result{Verdict: trend.NoLeak, Reason: "flat"}},
		},
	}
	want := "verdict: GREW THEN PLATEAUED in process_handles — handles grew then held; process_zombies — zombies grew then held"
	first := a.Summary()
	if !strings.HasPrefix(first, want+"\n") {
		t.Fatalf("summary %q, want it to start %q", first, want)
	}
	md, html := a.Markdown(nil), htmlOf(t, a)
	for range 200 {
		if got := a.Summary(); got != first {
			t.Fatalf("summary changed between calls:\n%q\n%q", first, got)
		}
		if got := a.Markdown(nil); got != md {
			t.Fatal("markdown changed between calls")
		}
		if got := htmlOf(t, a); got != html {
			t.Fatal("html changed between calls")
		}
	}
	if !strings.HasPrefix(md, "**Verdict: GREW THEN PLATEAUED** in process_handles — handles grew then held; process_zombies — zombies grew then held\n") {
		t.Errorf("markdown starts %q", md[:min(len(md), 120)])
	}
	if i, j := strings.Index(html, "<b>process_handles</b>"), strings.Index(html, "<b>process_zombies</b>"); i < 0 || j < i {
		t.Errorf("html lists the plateaus at %d and %d, want handles then zombies", i, j)
	}
}

func htmlOf(t *testing.T, a *Analysis) string {
	t.Helper()
	var b strings.Builder
	if err := a.WriteHTML(&b, nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHeadlineOfEveryVerdict holds each verdict's words, and the metric a
// verdict rests on when nothing grew.
func TestHeadlineOfEveryVerdict(t *testing.T) {
	leak := MetricVerdict{Result: trend.Result{Verdict: trend.Leak, Reason: "floor rose"}}
	for _, tc := range []struct {
		a    Analysis
		want string
	}{
		{Analysis{Verdict: trend.Leak, Memory: MemoryStats{Source: TreeMemory}, Metrics: map[Metric]MetricVerdict{DiskUsed: leak, TreeMemory: leak}},
			"LEAK in process_memory_mb — floor rose; disk_used_gb — floor rose"},
		{Analysis{Verdict: trend.NoLeak, Memory: MemoryStats{Source: HostMemory}, Metrics: map[Metric]MetricVerdict{HostMemory: {Result: trend.Result{Verdict: trend.NoLeak, Reason: "flat"}}}},
			"NO LEAK — memory_used_mb: flat"},
		{Analysis{Verdict: trend.Insufficient}, "INSUFFICIENT DATA — process_memory_mb: no memory figures"},
		{Analysis{}, "INSUFFICIENT DATA — process_memory_mb: no memory figures"},
	} {
		if got := tc.a.Headline().Sentence(nil); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.a.Verdict, got, tc.want)
		}
	}
}
