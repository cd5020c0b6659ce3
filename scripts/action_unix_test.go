//go:build linux || darwin

package scripts

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

func TestMain(m *testing.M) {
	testproc.Main()
	os.Exit(m.Run())
}

// runner is what a GitHub runner gives the action's steps: a workspace to
// run in, a temp directory, and the files for outputs and the summary.
type runner struct {
	root, workspace, temp, output, summary string
}

func newRunner(t *testing.T) *runner {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	dir := testproc.TempDir(t)
	r := &runner{root: root, workspace: filepath.Join(dir, "workspace"), temp: filepath.Join(dir, "temp")}
	for _, d := range []string{r.workspace, r.temp} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// step runs action.sh as the step named in action.yml does, with the
// step's own output and summary files, and returns its exit code, what it
// printed, the outputs it set and the summary it wrote.
func (r *runner) step(t *testing.T, verb string, env ...string) (code int, log string, outputs map[string]string, summary string) {
	t.Helper()
	dir := testproc.TempDir(t)
	r.output, r.summary = filepath.Join(dir, "output"), filepath.Join(dir, "summary.md")
	cmd := exec.Command("bash", filepath.Join(r.root, "scripts/action.sh"), verb)
	cmd.Dir = r.workspace
	cmd.Env = append(os.Environ(),
		"GITHUB_ACTIONS=true", "GITHUB_ACTION_PATH="+r.root, "GITHUB_WORKSPACE="+r.workspace,
		"GITHUB_OUTPUT="+r.output, "GITHUB_STEP_SUMMARY="+r.summary, "GITHUB_JOB=soak",
		"RUNNER_OS=Linux", "RUNNER_TEMP="+r.temp, "SOAKRUN_ACTION_REF=v9.8.7")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("action.sh %s: %v", verb, err)
	}
	outputs = map[string]string{}
	if b, err := os.ReadFile(r.output); err == nil {
		for sc := bufio.NewScanner(strings.NewReader(string(b))); sc.Scan(); {
			k, v, _ := strings.Cut(sc.Text(), "=")
			outputs[k] = v
		}
	}
	s, _ := os.ReadFile(r.summary)
	return cmd.ProcessState.ExitCode(), string(out), outputs, string(s)
}

// The action's script builds soakrun from the action's source, runs a
// leaking and a clean command under it as a runner would, and reports each
// through the step's outputs, files and summary. The command is a bash
// script with quotes of both kinds and a $ that must reach the shell as
// written.
func TestActionScript(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds soakrun")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs go, as the action's runner has it")
	}
	r := newRunner(t)
	code, log, out, _ := r.step(t, "build")
	if code != 0 || out["bin"] == "" {
		t.Fatalf("build: exit %d, outputs %v\n%s", code, out, log)
	}
	if !strings.Contains(log, "soakrun version v9.8.7") {
		t.Errorf("the build is not named for the action's ref:\n%s", log)
	}
	bin := out["bin"]

	self, _ := os.Executable()
	judge := []string{"SOAKRUN_BIN=" + bin, "SOAK_TARGET=" + self, "INPUT_INTERVAL=100ms", "INPUT_WARMUP=1s",
		// The host's disk is shared with whatever else runs: not judged here.
		"INPUT_MIN_SPAN=2s", "INPUT_LEAK_THRESHOLD=memory=2000,disk=off", "INPUT_ARTIFACT_NAME=soakrun-soak-0"}
	const said = `it's $HOME "quoted"`
	leaky := `msg='it'"'"'s $HOME "quoted"'
echo "$msg" > said.txt
SOAKRUN_TESTPROC='leak-mem 8 4s' GORACE=atexit_sleep_ms=0 "$SOAK_TARGET"`

	for _, tc := range []struct {
		name, command, dir string
		env                []string
		code               int
		verdict, leak      string
	}{
		{"leaking", leaky, "soak-leaky", []string{"INPUT_LEAK_EXIT_CODE=3"}, 3, "leak", "true"},
		{"clean", `SOAKRUN_TESTPROC='hold 5 3500ms' GORACE=atexit_sleep_ms=0 "$SOAK_TARGET"`, "soak-clean", nil, 0, "", "false"},
		{"failing", "exit 7", "soak-failing", nil, 7, "", "false"},
		{"refused", "true", "soak-refused", []string{"INPUT_ARGS=--interval\n1ms"}, 125, "none", "false"},
		{"no such shell", "dir", "soak-cmd", []string{"INPUT_SHELL=cmd"}, 125, "", "false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := append(append(append([]string{}, judge...), tc.env...), "INPUT_COMMAND="+tc.command, "INPUT_OUTPUT_DIR="+tc.dir)
			code, log, out, summary := r.step(t, "run", env...)
			if code != tc.code || out["exit-code"] != strconv.Itoa(tc.code) {
				t.Fatalf("exit %d, exit-code output %q; want %d\n%s", code, out["exit-code"], tc.code, log)
			}
			if out["leak-detected"] != tc.leak || (tc.verdict != "" && out["verdict"] != tc.verdict) {
				t.Errorf("outputs %v, want verdict %q, leak-detected %s", out, tc.verdict, tc.leak)
			}
			if tc.verdict == "" && tc.code == 125 {
				if !strings.Contains(log, "::error title=soakrun action::shell: 'cmd' is neither bash nor pwsh") {
					t.Errorf("a shell the action does not know:\n%s", log)
				}
				return
			}
			if tc.verdict == "none" {
				if !strings.Contains(summary, "before judging") {
					t.Errorf("summary of a refused run:\n%s", summary)
				}
				return
			}
			if out["verdict"] == "none" || out["verdict"] == "" {
				t.Errorf("no verdict for a run that was judged: %v", out)
			}
			for _, key := range []string{"jsonl", "analysis", "report"} {
				path := out[key]
				if !strings.HasPrefix(path, tc.dir+"/") {
					t.Errorf("output %s = %q, not in %s", key, path, tc.dir)
				}
				if fi, err := os.Stat(filepath.Join(r.workspace, path)); err != nil || fi.Size() == 0 {
					t.Errorf("%s %s: %v", key, path, err)
				}
			}
			if !strings.Contains(summary, "Verdict") || !strings.Contains(summary, "artifact `soakrun-soak-0`") {
				t.Errorf("summary lacks the verdict or the artifact:\n%s", summary)
			}
			if tc.name == "leaking" {
				b, err := os.ReadFile(filepath.Join(r.workspace, "said.txt"))
				if err != nil || string(b) != said+"\n" {
					t.Errorf("the command said %q (%v), want %q", b, err, said)
				}
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(r.temp, "soakrun-command.*")); len(left) != 0 {
		t.Errorf("command scripts left behind: %v", left)
	}
}

// pwsh runs the command when asked, where PowerShell is installed (every
// GitHub runner has it).
func TestActionScriptPwsh(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds soakrun")
	}
	if _, err := exec.LookPath("pwsh"); err != nil {
		t.Skip("needs pwsh")
	}
	r := newRunner(t)
	code, log, out, _ := r.step(t, "build")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s", code, log)
	}
	code, log, out, _ = r.step(t, "run", "SOAKRUN_BIN="+out["bin"], "INPUT_SHELL=pwsh", "INPUT_INTERVAL=100ms",
		"INPUT_COMMAND=$msg = 'it''s $HOME \"quoted\"'\nSet-Content -Path said.txt -Value $msg\nexit 4")
	if code != 4 || out["exit-code"] != "4" {
		t.Fatalf("exit %d, outputs %v; want 4\n%s", code, out, log)
	}
	if b, _ := os.ReadFile(filepath.Join(r.workspace, "said.txt")); strings.TrimSpace(string(b)) != `it's $HOME "quoted"` {
		t.Errorf("the command said %q", b)
	}
}
