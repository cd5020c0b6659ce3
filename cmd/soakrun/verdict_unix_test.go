//go:build linux || darwin

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/soak"
)

// analysisOf reads the analysis soakrun wrote beside output.
func analysisOf(t *testing.T, output string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(soak.AnalysisPath(output))
	if err != nil {
		t.Fatal(err)
	}
	var a map[string]any
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("analysis does not parse: %v", err)
	}
	return a
}

// A four-second run cannot use per-hour thresholds meant for days; these
// scale them to what a helper does in seconds (memory 0.5 MB/s, one fd or
// thread a second, ten points of CPU a second), far below the leaks and
// far above start-up noise. The disk is left out: it measures whatever
// else the machine is writing (a build beside the test reads as a disk
// leak of 100 GB/h in 4 s).
var liveFlags = append([]string{"--interval", "100ms"}, verdictLiveFlags...)

// verdictLiveFlags are liveFlags' judgement, which soakrun analyze takes too.
var verdictLiveFlags = []string{"--warmup", "1s", "--min-span", "2s",
	"--leak-threshold", "memory=2000,handles=3600,threads=3600,cpu=36000,disk=off"}

func TestLiveLeaksAreFound(t *testing.T) {
	for _, tc := range []struct {
		role []string
		leak string // "" for none
	}{
		{[]string{"leak-mem", "8", "4s"}, "process_memory_mb"},
		{[]string{"leak-fds", "50", "4s"}, "process_handles"},
		{[]string{"leak-threads", "5", "4s"}, "process_threads"},
		{[]string{"churn", "40", "4s"}, ""},
	} {
		t.Run(tc.role[0], func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "run.jsonl")
			cmd := soakrun(t, append(slices.Clone(liveFlags), "-o", out), tc.role...)
			code, stderr := exitCode(t, cmd)
			a := analysisOf(t, out)
			var leaks []string
			for _, l := range a["leaks"].([]any) {
				leaks = append(leaks, l.(string))
			}
			if tc.leak == "" {
				if code != 0 || len(leaks) != 0 {
					t.Errorf("exit %d, leaks %v for churn only\n%s", code, leaks, stderr)
				}
				return
			}
			// Each thread also costs memory, so a thread leak may be a
			// memory leak too; the leak asked for must be among them.
			if code != 3 || !slices.Contains(leaks, tc.leak) {
				t.Errorf("exit %d, leaks %v, want 3 and %s\n%s", code, leaks, tc.leak, stderr)
			}
			if !strings.Contains(stderr, "soakrun: verdict: LEAK in ") || !strings.Contains(stderr, tc.leak+" — ") {
				t.Errorf("stderr does not lead with the verdict:\n%s", stderr)
			}
			if top, _ := a["top_grower"].(map[string]any); tc.leak == "process_memory_mb" && (top == nil || top["name"] != filepath.Base(os.Args[0])) {
				t.Errorf("top grower %v, want the helper %s", a["top_grower"], filepath.Base(os.Args[0]))
			}
			// The leaking figure names its grower too, from the top lists.
			byFigure, _ := a["top_growers"].(map[string]any)
			growers, _ := byFigure[tc.leak].([]any)
			if len(growers) == 0 || growers[0].(map[string]any)["name"] != filepath.Base(os.Args[0]) {
				t.Errorf("top growers in %s: %v, want the helper %s first", tc.leak, growers, filepath.Base(os.Args[0]))
			}
			run := a["run"].(map[string]any)
			if run["exit_code"] != 3.0 || run["exit_status"] != 0.0 || run["samples_written"].(float64) < 20 {
				t.Errorf("run facts %v", run)
			}

			// soakrun analyze reaches the same verdict from the file.
			re := subcommand(t, append([]string{"analyze"}, append(slices.Clone(verdictLiveFlags), out)...)...)
			stdout, err := re.Output()
			if code := re.ProcessState.ExitCode(); code != 3 {
				t.Errorf("analyze exit %d (%v), want 3", code, err)
			}
			var again map[string]any
			if err := json.Unmarshal(stdout, &again); err != nil || again["verdict"] != "leak" {
				t.Errorf("analyze printed verdict %v (%v)", again["verdict"], err)
			}
		})
	}
}

func TestLeakExitCodeZeroIsAdvisoryAndNoLeakCheckSkips(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run.jsonl")
	cmd := soakrun(t, append(slices.Clone(liveFlags), "-o", out, "--leak-exit-code", "0"), "leak-mem", "8", "4s")
	if code, stderr := exitCode(t, cmd); code != 0 || !strings.Contains(stderr, "verdict: LEAK") {
		t.Errorf("advisory: exit %d\n%s", code, stderr)
	}
	out2 := filepath.Join(t.TempDir(), "run.jsonl")
	cmd = soakrun(t, append(slices.Clone(liveFlags), "-o", out2, "--no-leak-check"), "leak-mem", "8", "4s")
	if code, stderr := exitCode(t, cmd); code != 0 || strings.Contains(stderr, "verdict") {
		t.Errorf("--no-leak-check: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(soak.AnalysisPath(out2)); err == nil {
		t.Error("--no-leak-check wrote an analysis")
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.jsonl")
	os.WriteFile(garbage, []byte("\x00\x01binary\nnot json\n"), 0o644)
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	for _, args := range [][]string{
		{"analyze", garbage},
		{"analyze", empty},
		{"analyze", filepath.Join(dir, "missing.jsonl")},
		{"analyze"},
		{"analyze", "--leak-threshold", "fast", garbage},
		{"analyze", "--warmup", "soon", garbage},
	} {
		code, stderr := exitCode(t, subcommand(t, args...))
		if code != 125 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 125 and one line", args, code, stderr)
		}
	}
}

// On GitHub Actions: a job summary with the verdict first, an error
// annotation for the leak and a warning for the timeout; everywhere, the
// HTML report beside the series.
func TestGitHubOutputsAndReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run.jsonl")
	summary := filepath.Join(t.TempDir(), "summary.md")
	cmd := soakrun(t, append(slices.Clone(liveFlags), "-o", out, "--timeout", "4s"), "leak-mem", "8", "1h")
	cmd.Env = append(cmd.Env, "GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY="+summary)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if code, stderr := exitCode(t, cmd); code != 124 {
		t.Fatalf("exit %d, want 124\n%s", code, stderr)
	}
	// With a cgroup the kernel's charge is judged too, and named first.
	if !regexp.MustCompile(`::error title=soakrun%3A leak::[^\n]*process_memory_mb`).MatchString(stdout.String()) ||
		!strings.Contains(stdout.String(), "::warning title=soakrun%3A timeout::") {
		t.Errorf("annotations missing from stdout:\n%s", stdout.String())
	}
	md, err := os.ReadFile(summary)
	if err != nil || !strings.HasPrefix(string(md), "**Verdict: LEAK** in ") || !strings.Contains(strings.SplitN(string(md), "\n", 2)[0], "process_memory_mb") || !strings.Contains(string(md), "xychart-beta") {
		t.Errorf("job summary (%v):\n%s", err, md)
	}
	page, err := os.ReadFile(soak.ReportPath(out))
	if err != nil || strings.Count(string(page), "<svg") < 4 {
		t.Errorf("HTML report (%v): %d charts", err, strings.Count(string(page), "<svg"))
	}
}

// --quiet keeps errors and, when a leak fails the run, the summary that
// explains its exit code: nothing else (no containment line, no stop's
// steps, no watching cost), and for a clean run nothing at all.
func TestQuietKeepsErrorsAndAFailingVerdict(t *testing.T) {
	for _, tc := range []struct {
		role []string
		code int
	}{
		{[]string{"leak-mem", "8", "4s"}, 3},
		{[]string{"churn", "40", "4s"}, 0},
	} {
		t.Run(tc.role[0], func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "run.jsonl")
			code, stderr := exitCode(t, soakrun(t, append(slices.Clone(liveFlags), "-o", out, "--quiet"), tc.role...))
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
			if tc.code == 0 {
				if stderr != "" {
					t.Errorf("--quiet, clean run: stderr\n%s", stderr)
				}
				return
			}
			if !strings.HasPrefix(stderr, "soakrun: verdict: LEAK in ") {
				t.Errorf("--quiet, leaking run: stderr does not start with the verdict\n%s", stderr)
			}
			for _, chatter := range []string{"containment:", "watching cost", "wrote ", "exit code"} {
				if strings.Contains(stderr, chatter) {
					t.Errorf("--quiet printed %q\n%s", chatter, stderr)
				}
			}
		})
	}
}
