//go:build linux || darwin

package soak

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/report"
)

// judged soaks role judged as a few seconds of a helper must be: a
// four-second run cannot use per-hour thresholds meant for days, so these
// scale them to what a helper does in seconds (memory 0.5 MB/s, one fd or
// thread a second, ten points of CPU a second), far below the leaks and
// far above start-up noise. The disk is left out: it measures whatever
// else the machine is writing (a build beside the test reads as a disk
// leak of 100 GB/h in 4 s).
func judged(t *testing.T, said *lines, role ...string) Config {
	t.Helper()
	th, err := report.ParseThresholds("memory=2000,handles=3600,threads=3600,cpu=36000,disk=off")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config(t, said, role...)
	cfg.Sampling.Top = 3
	cfg.Verdict = report.Options{Thresholds: th, Warmup: time.Second, MinSpan: 2 * time.Second}
	return cfg
}

// Each kind of leak is found in the live series and named, with the
// process that grew; a sawtooth is none.
func TestLiveLeaksAreFound(t *testing.T) {
	name := filepath.Base(os.Args[0])
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
			if testing.Short() && tc.leak == "" {
				t.Skip("-short (the kernels' guests): the leaks, whose figures are the kernel's")
			}
			var said lines
			var summary buffer
			cfg := judged(t, &said, tc.role...)
			cfg.Console.Summary = &summary
			o, err := Run(t.Context(), cfg)
			if err != nil {
				t.Fatalf("run: %v\n%s", err, said.text())
			}
			a := analysisOf(t, cfg.Sampling.Output)
			leaks := listOf(a, "leaks")
			if tc.leak == "" {
				if o.ExitCode != 0 || len(leaks) != 0 || o.Leaked() {
					t.Errorf("exit %d, leaks %v for churn only\n%s", o.ExitCode, leaks, summary.String())
				}
				return
			}
			// Each thread also costs memory, so a thread leak may be a
			// memory leak too; the leak asked for must be among them.
			if o.ExitCode != ExitLeak || !o.Leaked() || !slices.Contains(leaks, tc.leak) {
				t.Errorf("exit %d, leaks %v, want 3 and %s\n%s", o.ExitCode, leaks, tc.leak, summary.String())
			}
			if !strings.HasPrefix(summary.String(), "soakrun: verdict: LEAK in ") || !strings.Contains(summary.String(), tc.leak+" — ") {
				t.Errorf("the summary does not lead with the verdict:\n%s", summary.String())
			}
			if top, _ := a["top_grower"].(map[string]any); tc.leak == "process_memory_mb" && (top == nil || top["name"] != name) {
				t.Errorf("top grower %v, want the helper %s", a["top_grower"], name)
			}
			// The leaking figure names its grower too, from the top lists.
			byFigure, _ := a["top_growers"].(map[string]any)
			growers, _ := byFigure[tc.leak].([]any)
			if len(growers) == 0 || growers[0].(map[string]any)["name"] != name {
				t.Errorf("top growers in %s: %v, want the helper %s first", tc.leak, growers, name)
			}
			run := a["run"].(map[string]any)
			if run["exit_code"] != 3.0 || run["exit_status"] != 0.0 || run["samples_written"].(float64) < 20 {
				t.Errorf("run facts %v", run)
			}
		})
	}
}

// LeakExitCode 0 makes the verdict advisory: a leak, exit 0. Without Judge
// the run is only sampled: no verdict, no analysis.
func TestLeakExitCodeZeroIsAdvisoryAndNoJudgeSkips(t *testing.T) {
	if testing.Short() {
		t.Skip("-short (the kernels' guests): nothing here is the kernel's")
	}
	var said lines
	var summary buffer
	cfg := judged(t, &said, "leak-mem", "8", "4s")
	cfg.LeakExitCode, cfg.Console.Summary = 0, &summary
	if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 0 || !o.Leaked() || !strings.Contains(summary.String(), "verdict: LEAK") {
		t.Errorf("advisory: exit %d, leaked %v, %v\n%s", o.ExitCode, o.Leaked(), err, summary.String())
	}
	summary = buffer{}
	cfg = judged(t, &said, "leak-mem", "8", "4s")
	cfg.Judge, cfg.Console.Summary = false, &summary
	o, err := Run(t.Context(), cfg)
	if err != nil || o.ExitCode != 0 || o.Analysis != nil || summary.String() != "" {
		t.Errorf("without Judge: exit %d, analysis %v, %v\n%s", o.ExitCode, o.Analysis != nil, err, summary.String())
	}
	if _, err := os.Stat(AnalysisPath(cfg.Sampling.Output)); err == nil {
		t.Error("a run without Judge wrote an analysis")
	}
}

// For GitHub Actions: a job summary with the verdict first, an error
// annotation for the leak and a warning for the timeout; everywhere, the
// HTML report beside the series.
func TestGitHubOutputsAndReport(t *testing.T) {
	var said lines
	var annotations buffer
	cfg := judged(t, &said, "leak-mem", "8", "1h")
	cfg.Supervisor.Timeout = 4 * time.Second
	cfg.Console.Annotations, cfg.Console.JobSummary = &annotations, filepath.Join(testproc.TempDir(t), "summary.md")
	if o, err := Run(t.Context(), cfg); err != nil || o.ExitCode != 124 {
		t.Fatalf("exit %d, %v; want 124\n%s", o.ExitCode, err, said.text())
	}
	// With a cgroup the kernel's charge is judged too, and named first.
	if !regexp.MustCompile(`::error title=soakrun%3A leak::[^\n]*process_memory_mb`).MatchString(annotations.String()) ||
		!strings.Contains(annotations.String(), "::warning title=soakrun%3A timeout::") {
		t.Errorf("annotations missing:\n%s", annotations.String())
	}
	md, err := os.ReadFile(cfg.Console.JobSummary)
	if err != nil || !strings.HasPrefix(string(md), "**Verdict: LEAK** in ") || !strings.Contains(strings.SplitN(string(md), "\n", 2)[0], "process_memory_mb") || !strings.Contains(string(md), "xychart-beta") {
		t.Errorf("job summary (%v):\n%s", err, md)
	}
	page, err := os.ReadFile(ReportPath(cfg.Sampling.Output))
	if err != nil || strings.Count(string(page), "<svg") < 4 {
		t.Errorf("HTML report (%v): %d charts", err, strings.Count(string(page), "<svg"))
	}
}

// earlyRun soaks role with a minute's timeout and returns the outcome,
// what the run said, and the analysis; every member that announced itself
// on stdout must be gone, and the HTML report written.
func earlyRun(t *testing.T, cfg Config, said *lines) (Outcome, map[string]any) {
	t.Helper()
	stdout := outputFile(t)
	cfg.Supervisor.Timeout, cfg.Supervisor.Stdout = time.Minute, stdout
	o, err := Run(t.Context(), cfg)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, said.text())
	}
	checkGone(t, contents(t, stdout))
	if _, err := os.Stat(ReportPath(cfg.Sampling.Output)); err != nil {
		t.Errorf("no HTML report: %v", err)
	}
	return o, analysisOf(t, cfg.Sampling.Output)
}

// AbortOnLeak stops a leaking helper as soon as the verdict is in, long
// before its timeout, through the stop sequence, with the leak code and a
// complete analysis; a churning one, judged the same way, runs to its end.
func TestAbortOnLeak(t *testing.T) {
	t.Run("leak", func(t *testing.T) {
		var said lines
		cfg := judged(t, &said, "leak-mem", "8", "1h")
		cfg.AbortOnLeak = true
		o, a := earlyRun(t, cfg, &said)
		run := a["run"].(map[string]any)
		stopped, _ := run["stopped_early"].(string)
		// Where the tree has a cgroup the kernel's charge is judged beside
		// the RSS sum, and either may be found first.
		memoryLeak := regexp.MustCompile(`leak in (process_memory_mb|cgroup_memory_nocache_mb)\b`)
		if o.ExitCode != 3 || run["exit_code"] != 3.0 || run["timed_out"] != false || !strings.HasPrefix(stopped, "--abort-on-leak: ") || !memoryLeak.MatchString(stopped) {
			t.Fatalf("exit %d, run %v; want 3, stopped early for the memory leak\n%s", o.ExitCode, run, said.text())
		}
		if a["verdict"] != "leak" || !memoryLeak.MatchString("leak in "+fmt.Sprint(a["leaks"].([]any)[0])) || run["samples_written"].(float64) < 20 {
			t.Errorf("analysis %v %v, %v samples: want the complete leak verdict", a["verdict"], a["leaks"], run["samples_written"])
		}
		for _, want := range []string{stopped + "; stopping the tree", "sending SIGTERM", "stopped early (" + stopped + ")"} {
			if !strings.Contains(said.text(), want) {
				t.Errorf("the run did not say %q:\n%s", want, said.text())
			}
		}
	})
	t.Run("churn", func(t *testing.T) {
		var said lines
		cfg := judged(t, &said, "churn", "40", "5s")
		cfg.AbortOnLeak = true
		o, a := earlyRun(t, cfg, &said)
		run := a["run"].(map[string]any)
		if o.ExitCode != 0 || run["stopped_early"] != "" || len(a["leaks"].([]any)) != 0 {
			t.Errorf("exit %d, stopped early %q, leaks %v: a sawtooth ran to its end\n%s", o.ExitCode, run["stopped_early"], a["leaks"], said.text())
		}
	})
}
