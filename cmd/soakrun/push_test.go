package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/promtest"
	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/soak"
)

// pushFacts reads the push counts in the run section of the analysis soakrun wrote beside output.
func pushFacts(t *testing.T, output string) (attempts, failures int) {
	t.Helper()
	b, err := os.ReadFile(soak.AnalysisPath(output))
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

var githubRun = []string{"GITHUB_REPOSITORY=acme/soak", "GITHUB_WORKFLOW=nightly", "GITHUB_RUN_ID=99", "RUNNER_NAME=runner-3"}

// A run pushes its gauges to a real Pushgateway under the CI's grouping
// labels; --push-keep leaves the last state there, and without it the
// group is gone when soakrun exits.
func TestRunPushesToGateway(t *testing.T) {
	gw := promtest.Pushgateway(t)
	gateway := func() string {
		resp, err := http.Get("http://" + gw + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	var written []int
	for _, tc := range []struct {
		runID string
		flags []string
	}{{"1", []string{"--push-keep"}}, {"2", nil}} {
		out := filepath.Join(testproc.TempDir(t), "run.jsonl")
		flags := append([]string{"--interval", "100ms", "-o", out, "-q", "--push-gateway", "http://" + gw, "--push-interval", "100ms"}, tc.flags...)
		cmd := soakrun(t, flags, "hold", "20", "700ms")
		cmd.Env = append(cmd.Env, append(githubRun, "GITHUB_RUN_ID="+tc.runID)...)
		if code, stderr := exitCode(t, cmd); code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		b, _ := os.ReadFile(out)
		written = append(written, strings.Count(string(b), "\n"))
		if attempts, failures := pushFacts(t, out); attempts < 2 || failures != 0 {
			t.Errorf("run %s: %d push(es), %d failed; want a push and the end, none failed", tc.runID, attempts, failures)
		}
	}
	// The exit sample, pushed last, counts every sample written.
	page := gateway()
	kept := fmt.Sprintf(`soakrun_samples_total{instance="runner-3",job="soakrun",repository="acme/soak",run_id="1",workflow="nightly"} %d`+"\n", written[0])
	if !strings.Contains(page, kept) {
		t.Errorf("the kept group lacks %s", kept)
	}
	if strings.Contains(page, `run_id="2"`) {
		t.Error("the group of a run without --push-keep is still on the gateway")
	}
}

// A gateway that refuses or hangs changes nothing about the run: exit 0,
// one line about the first failure, the count in the analysis.
func TestRunWithGatewayDown(t *testing.T) {
	for name, addr := range map[string]string{"refusing": promtest.FreeAddr(t), "hanging": promtest.Hanging(t)} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(testproc.TempDir(t), "run.jsonl")
			cmd := soakrun(t, []string{"--interval", "100ms", "-o", out, "-q", "--push-gateway", addr, "--push-interval", "100ms"}, "sleep", "1s")
			code, stderr := exitCode(t, cmd)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			if n := strings.Count(stderr, "soakrun: pushgateway: "); n != 1 {
				t.Errorf("%d lines about the gateway, want 1:\n%s", n, stderr)
			}
			if attempts, failures := pushFacts(t, out); failures == 0 || failures != attempts {
				t.Errorf("%d push(es), %d failed; want all of at least one to fail", attempts, failures)
			}
		})
	}
}

func TestPushFlagsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--push-gateway", "ftp://gw", "--", "x"},
		{"--push-gateway", "gw:9091", "--push-job", "", "--", "x"},
		{"--push-gateway", "gw:9091", "--push-interval", "0", "--", "x"},
	} {
		code, stderr := exitCode(t, subcommand(t, args...))
		if code != 125 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "--push-") {
			t.Errorf("%v: exit %d, %q; want 125 and one line naming the flag", args, code, stderr)
		}
	}
}
