package soak

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/promtest"
	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/metrics"
)

// pushFacts reads the push counts in the run section of the analysis
// written beside output.
func pushFacts(t *testing.T, output string) (attempts, failures int) {
	t.Helper()
	b, err := os.ReadFile(AnalysisPath(output))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Run struct {
			Attempts int `json:"push_attempts"`
			Failures int `json:"push_failures"`
		} `json:"run"`
	}
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	return a.Run.Attempts, a.Run.Failures
}

// A run pushes its gauges to a real Pushgateway under its grouping labels;
// Keep leaves the last state there, and without it the group is gone when
// the run ends.
func TestRunPushesToGateway(t *testing.T) {
	gw := promtest.Pushgateway(t)
	var written []int
	for _, tc := range []struct {
		runID string
		keep  bool
	}{{"1", true}, {"2", false}} {
		var said lines
		cfg := config(t, &said, "hold", "20", "700ms")
		cfg.Sampling.Push = &metrics.PushConfig{
			// A push may take longer than the interval on a busy machine.
			URL: "http://" + gw, Job: "soakrun", Interval: 100 * time.Millisecond, Timeout: 5 * time.Second, Keep: tc.keep,
			Grouping: map[string]string{"repository": "acme/soak", "run_id": tc.runID},
		}
		if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 0 {
			t.Fatalf("exit %d, %v\n%s", o.ExitCode, err, said.text())
		}
		written = append(written, testproc.CountLines(cfg.Sampling.Output))
		if attempts, failures := pushFacts(t, cfg.Sampling.Output); attempts < 2 || failures != 0 {
			t.Errorf("run %s: %d push(es), %d failed; want a push and the end, none failed", tc.runID, attempts, failures)
		}
	}
	resp, err := http.Get("http://" + gw + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	page := string(b)
	// The exit sample, pushed last, counts every sample written.
	kept := fmt.Sprintf(`soakrun_samples_total{instance="",job="soakrun",repository="acme/soak",run_id="1"} %d`+"\n", written[0])
	if !strings.Contains(page, kept) {
		t.Errorf("the kept group lacks %s", kept)
	}
	if strings.Contains(page, `run_id="2"`) {
		t.Error("the group of a run without Keep is still on the gateway")
	}
}

// A gateway that refuses or hangs changes nothing about the run: exit 0,
// the first failure told once, the count in the analysis.
func TestRunWithGatewayDown(t *testing.T) {
	for name, addr := range map[string]string{"refusing": promtest.FreeAddr(t), "hanging": promtest.Hanging(t)} {
		t.Run(name, func(t *testing.T) {
			var said lines
			var told atomic.Int32
			cfg := config(t, &said, "sleep", "1s")
			cfg.Sampling.Push = &metrics.PushConfig{URL: addr, Job: "soakrun", Interval: 100 * time.Millisecond,
				OnFirstFailure: func(error) { told.Add(1) }}
			if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 0 {
				t.Fatalf("exit %d, %v\n%s", o.ExitCode, err, said.text())
			}
			if n := told.Load(); n != 1 {
				t.Errorf("the first failure told %d times, want once", n)
			}
			if attempts, failures := pushFacts(t, cfg.Sampling.Output); failures == 0 || failures != attempts {
				t.Errorf("%d push(es), %d failed; want all of at least one to fail", attempts, failures)
			}
		})
	}
}
