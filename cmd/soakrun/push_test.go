package main

import (
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/promtest"
)

// The push flags reach the run: the group is named from the CI's
// variables, and a gateway that refuses is one line on stderr, exit 0.
// (soak's tests push to a real gateway.)
func TestPushFlagsReachTheRun(t *testing.T) {
	t.Parallel()
	cmd := soakrun(t, []string{"--interval", "100ms", "--push-gateway", promtest.FreeAddr(t), "--push-interval", "100ms"}, "sleep", "500ms")
	cmd.Env = append(cmd.Env, "GITHUB_REPOSITORY=acme/soak", "GITHUB_WORKFLOW=nightly", "GITHUB_RUN_ID=99", "RUNNER_NAME=runner-3")
	code, stderr := exitCode(t, cmd)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if want := `as job "soakrun", {instance="runner-3",repository="acme/soak",run_id="99",workflow="nightly"}`; !strings.Contains(stderr, want) {
		t.Errorf("the pushed group is not named from the CI's variables (%s):\n%s", want, stderr)
	}
	if n := strings.Count(stderr, "soakrun: pushgateway: "); n != 1 {
		t.Errorf("%d lines about the gateway, want 1:\n%s", n, stderr)
	}
}

func TestPushFlagsRefused(t *testing.T) {
	t.Parallel()
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
