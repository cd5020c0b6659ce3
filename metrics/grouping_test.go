package metrics

import (
	"errors"
	"maps"
	"testing"
)

func TestCIGrouping(t *testing.T) {
	env := map[string]string{"GITHUB_REPOSITORY": "acme/soak", "GITHUB_WORKFLOW": "nightly soak",
		"GITHUB_RUN_ID": "99", "RUNNER_NAME": "GitHub Actions 3", "GITHUB_SHA": "not a label"}
	host := func() (string, error) { return "build-7", nil }
	got := CIGrouping(func(k string) string { return env[k] }, host)
	want := map[string]string{"repository": "acme/soak", "workflow": "nightly soak", "run_id": "99", "instance": "GitHub Actions 3"}
	if !maps.Equal(got, want) {
		t.Errorf("on a GitHub runner: %v, want %v", got, want)
	}
	if l := LabelList(got); l != `{instance="GitHub Actions 3",repository="acme/soak",run_id="99",workflow="nightly soak"}` {
		t.Errorf("logged as %s", l)
	}
	if got := CIGrouping(func(string) string { return "" }, host); !maps.Equal(got, map[string]string{"instance": "build-7"}) {
		t.Errorf("outside CI: %v, want the host as instance only", got)
	}
	noHost := func() (string, error) { return "", errors.New("no name") }
	if got := CIGrouping(func(string) string { return "" }, noHost); len(got) != 0 {
		t.Errorf("with nothing known: %v, want no labels", got)
	}
}
