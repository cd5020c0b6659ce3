package metrics

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/promtest"
)

// gatewayHas reports whether the gateway serves a sample of metric with
// all of labels ("name=\"value\"" each) and value.
func gatewayHas(t *testing.T, addr, metric string, value string, labels ...string) bool {
	t.Helper()
	for line := range strings.Lines(scrape(t, addr)) {
		name, rest, ok := strings.Cut(line, "{")
		if !ok || name != metric || !strings.HasSuffix(line, "} "+value+"\n") {
			continue
		}
		all := true
		for _, l := range labels {
			all = all && strings.Contains(rest, l)
		}
		if all {
			return true
		}
	}
	return false
}

var ciGrouping = map[string]string{"instance": "runner-7", "repository": "soakrun/soakrun", "run_id": "42"}

// A real Pushgateway takes the pushes, a real Prometheus scrapes it, and
// the value comes back through Prometheus's query API with the grouping
// labels; at Close the group is deleted and the series goes stale.
func TestPushThroughGatewayToPrometheus(t *testing.T) {
	gw := promtest.Pushgateway(t)
	web := promtest.Prometheus(t, fmt.Sprintf("  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: [%q]\n", gw))

	e := New()
	// Each push may take seconds, not the interval: the test is of what
	// arrives, and a loaded machine (a test beside it starting 3000
	// processes) once kept the gateway from answering within 200 ms.
	p, err := NewPusher(e, PushConfig{URL: "http://" + gw, Job: "soakrun", Grouping: ciGrouping, Interval: 200 * time.Millisecond, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	threads, handles, available := 12, 40, 1024.0
	for _, n := range []int{3, 42} {
		s := snapshot(float64(time.Now().Unix()), n, 256, 50)
		s.ProcessThreads, s.ProcessHandles, s.MemoryAvailableMB = &threads, &handles, &available
		e.Add(s)
		p.Add(s)
	}
	e.SetSlope(36)
	const q = `soakrun_tree_processes{job="soakrun",instance="runner-7",repository="soakrun/soakrun",run_id="42"}`
	if v := promtest.WaitQuery(t, web, q); v != "42" {
		t.Fatalf("%s = %s, want 42", q, v)
	}
	if v, ok := promtest.Query(web, `soakrun_tree_resident_memory_bytes{instance="runner-7"}`); !ok || v != "268435456" {
		t.Errorf("soakrun_tree_resident_memory_bytes = %s (%v), want 268435456", v, ok)
	}
	dashboardShowsRunner(t, web, "soakrun", "runner-7")

	p.Close()
	if gatewayHas(t, gw, "soakrun_tree_processes", "42", `instance="runner-7"`) {
		t.Error("the group is still on the gateway after Close")
	}
	// Gone from the gateway, the series is marked stale at the next scrape.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(500 * time.Millisecond) {
		if vs, ok := promtest.Results(web, q); ok && len(vs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus still returns %s after the group was deleted", q)
		}
	}
	if st := p.Stats(); st.Failures != 0 || st.Attempts < 2 {
		t.Errorf("stats %+v, want no failures in at least a push and a delete", st)
	}
}

// dashboardShowsRunner evaluates every query of the Grafana dashboard, its
// variables set to job and instance and "All" repositories, and wants a
// value from each: the dashboard works from pushed series.
func dashboardShowsRunner(t *testing.T, web, job, instance string) {
	t.Helper()
	b, err := os.ReadFile("../docs/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	vars := strings.NewReplacer("$job", job, "$repository", ".*", "$instance", instance)
	n := 0
	deadline := time.Now().Add(time.Minute) // a rate needs two scrapes
	for _, panel := range d.Panels {
		for _, target := range panel.Targets {
			q := vars.Replace(target.Expr)
			for ; ; time.Sleep(500 * time.Millisecond) {
				if vs, ok := promtest.Results(web, q); ok && len(vs) > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Errorf("panel %q: no value for %s", panel.Title, q)
					break
				}
			}
			n++
		}
	}
	if n < 5 {
		t.Errorf("the dashboard has %d queries", n)
	}
}

// With Keep, Close pushes the last snapshot and leaves it on the gateway.
func TestPushKeepLeavesTheLastState(t *testing.T) {
	gw := promtest.Pushgateway(t)
	e := New()
	p, err := NewPusher(e, PushConfig{URL: gw, Job: "nightly", Grouping: ciGrouping, Interval: time.Hour, Keep: true})
	if err != nil {
		t.Fatal(err)
	}
	s := snapshot(100, 3, 10, 0)
	e.Add(s)
	p.Add(s)
	for deadline := time.Now().Add(30 * time.Second); !gatewayHas(t, gw, "soakrun_tree_processes", "3", `job="nightly"`); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first snapshot was never pushed")
		}
	}
	e.Add(snapshot(110, 9, 10, 0)) // the exit sample, pushed by Close alone
	p.Close()
	if !gatewayHas(t, gw, "soakrun_tree_processes", "9", `job="nightly"`, `instance="runner-7"`, `run_id="42"`) {
		t.Errorf("the last state is not on the gateway after Close with Keep:\n%s", scrape(t, gw))
	}
	if st := p.Stats(); st.Failures != 0 || st.Attempts != 2 {
		t.Errorf("stats %+v, want 2 pushes, none failed", st)
	}
}

// A gateway that refuses or hangs costs the sampler nothing: Add returns
// at once while a push hangs, Close does not ask a gateway already seen
// failing again (the final timeout here is an hour), failures are counted,
// and the first is reported once.
func TestPushGatewayDownOrHanging(t *testing.T) {
	for name, addr := range map[string]string{"refusing": promtest.FreeAddr(t), "hanging": promtest.Hanging(t)} {
		t.Run(name, func(t *testing.T) {
			var reported atomic.Int32
			e := New()
			p, err := NewPusher(e, PushConfig{URL: addr, Job: "soakrun", Interval: 50 * time.Millisecond, Timeout: 100 * time.Millisecond,
				FinalTimeout: time.Hour, OnFirstFailure: func(error) { reported.Add(1) }})
			if err != nil {
				t.Fatal(err)
			}
			added := make(chan struct{})
			go func() {
				defer close(added)
				for i := range 1000 {
					s := snapshot(float64(i), 1, 1, 0)
					e.Add(s)
					p.Add(s)
				}
			}()
			select {
			case <-added:
			case <-time.After(30 * time.Second):
				t.Fatal("Add blocked behind the gateway")
			}
			for deadline := time.Now().Add(30 * time.Second); p.Stats().Failures < 3; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("failures never counted: %+v", p.Stats())
				}
			}
			closed := make(chan struct{})
			go func() { p.Close(); close(closed) }()
			select {
			case <-closed:
			case <-time.After(30 * time.Second):
				t.Fatal("Close waited on a gateway that had failed")
			}
			st := p.Stats()
			if st.Failures != st.Attempts || st.FirstError == nil {
				t.Errorf("stats %+v: every attempt should have failed", st)
			}
			if n := reported.Load(); n != 1 {
				t.Errorf("the first failure was reported %d times, want once", n)
			}
		})
	}
}

func TestNewPusherRefusesBadConfig(t *testing.T) {
	for _, cfg := range []PushConfig{
		{URL: "ftp://gw:9091", Job: "soakrun"},
		{URL: "http://", Job: "soakrun"},
		{URL: "http://gw:9091", Job: " "},
		{URL: "http://gw:9091", Job: "soakrun", Grouping: map[string]string{"job": "x"}},
		{URL: "http://gw:9091/%zz", Job: "soakrun"},
	} {
		if p, err := NewPusher(New(), cfg); err == nil {
			p.Close()
			t.Errorf("NewPusher(%+v) accepted it", cfg)
		}
	}
}
