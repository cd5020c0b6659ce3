package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/samples"
	"github.com/soakrun/soakrun/soak"
)

// A tree of thousands of processes under soakrun with a low open-file
// limit, as a systemd service, a container or a busybox init gives it:
// every member is seen, none survives the timeout, and stderr says what
// the limit did. The tree is a shell loop of sleeps, as in the report that
// found soakrun leaving 2991 of them behind at `ulimit -n 1024`.
func TestTreeLargerThanTheOpenFileLimit(t *testing.T) {
	t.Parallel()
	n, limits := 3000, []int{256, 1024}
	if testing.Short() {
		n, limits = 1000, []int{256}
	}
	for _, limit := range limits {
		for _, mode := range []string{"off", "auto"} {
			t.Run(fmt.Sprintf("nofile-%d/cgroup-%s", limit, mode), func(t *testing.T) {
				token := fmt.Sprintf("4%03d.%d", limit%1000, time.Now().UnixNano()%1e9)
				script := fmt.Sprintf("i=0; while [ $i -lt %d ]; do sleep %s & i=$((i+1)); done; echo ready sh $$; wait", n, token)
				dir := testproc.TempDir(t)
				jsonl := filepath.Join(dir, "run.jsonl")
				// An interval under a second has every sample read every
				// member, with a cgroup too. The timeout is SIGALRM, sent
				// once two samples began after the whole tree was there:
				// a fixed one came before the last sleep in a slow guest.
				cmd := exec.Command(os.Args[0], "--cgroup", mode, "--interval", "500ms", "--timeout", "10m", "--kill-after", "2s",
					"-o", jsonl, "--", "sh", "-c", script)
				cmd.Env = append(os.Environ(), envAsSoakrun+"=1", fmt.Sprintf("%s=%d", envOpenFiles, limit))
				var stderr strings.Builder
				cmd.Stderr = &stderr
				cmd.WaitDelay = 5 * time.Second // survivors would hold stderr open
				t.Cleanup(func() { killWithArg(token) })
				testproc.Start(t, cmd, 1, nil)
				// Two samples begun after the ready line.
				want := testproc.CountLines(jsonl) + 2
				testproc.WaitWithin(t, 5*time.Minute, func() bool { return testproc.CountLines(jsonl) >= want })
				cmd.Process.Signal(syscall.SIGALRM)
				cmd.Wait()
				if code := cmd.ProcessState.ExitCode(); code != 124 {
					t.Errorf("exit %d, want 124\n%s", code, stderr.String())
				}
				if left := testproc.PidsWithArg(token); len(left) > 0 {
					t.Errorf("%d of %d sleeps outlived the run", len(left), n)
				}
				if !strings.Contains(stderr.String(), fmt.Sprintf("open-file limit %d", limit)) {
					t.Errorf("stderr does not say what the open-file limit did:\n%s", stderr.String())
				}
				if most := mostProcesses(t, jsonl); most != n+1 {
					t.Errorf("the largest process_count is %d, want all %d: the shell and its sleeps", most, n+1)
				}
				d := descriptorsOf(t, filepath.Join(dir, "run.analysis.json"))
				if d.OpenFileLimit != limit || d.KeptFilesPeak > d.KeptFilesBudget || d.BudgetHits == 0 || d.SamplesIncomplete != 0 {
					t.Errorf("run.descriptors %+v: want limit %d, the peak within the budget, hits, no incomplete sample", d, limit)
				}
			})
		}
	}
}

// A small tree on a host of many processes, under a low open-file limit:
// the host's processes take none of the budget, with a cgroup or without
// one (where every listing reads the whole host to follow the tree), and
// stderr says nothing of the limit.
func TestHostsProcessesTakeNoneOfTheBudget(t *testing.T) {
	t.Parallel()
	token := fmt.Sprintf("3700.%d", time.Now().UnixNano()%1e9)
	t.Cleanup(func() { killWithArg(token) })
	for range 300 {
		if err := exec.Command("sleep", token).Start(); err != nil {
			t.Fatal(err)
		}
	}
	for _, mode := range []string{"off", "auto"} {
		t.Run("cgroup-"+mode, func(t *testing.T) {
			out := filepath.Join(testproc.TempDir(t), "run.jsonl")
			cmd := soakrun(t, []string{"--cgroup", mode, "--interval", "100ms", "-o", out}, "sleep", "1s")
			cmd.Env = append(cmd.Env, envOpenFiles+"=256")
			code, stderr := exitCode(t, cmd)
			if code != 0 {
				t.Errorf("exit %d, want 0\n%s", code, stderr)
			}
			if strings.Contains(stderr, "open-file limit") {
				t.Errorf("stderr speaks of the open-file limit for a tree of one:\n%s", stderr)
			}
			if d := descriptorsOf(t, soak.AnalysisPath(out)); d.OpenFileLimit != 256 || d.BudgetHits != 0 || d.KeptFilesPeak > 10 {
				t.Errorf("run.descriptors %+v: want limit 256, no budget hit, a few files kept", d)
			}
		})
	}
}

// A member that forks as fast as it can, under a low open-file limit: the
// stop still leaves nothing behind.
func TestForkStormUnderALowOpenFileLimit(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"off", "auto"} {
		t.Run("cgroup-"+mode, func(t *testing.T) {
			token := fmt.Sprintf("3600.1%d", time.Now().UnixNano()%1e9)
			cmd := soakrun(t, []string{"--cgroup", mode, "--interval", "200ms", "--timeout", "3s", "--kill-after", "500ms"}, "forker", token, "3")
			cmd.Env = append(cmd.Env, envOpenFiles+"=256")
			t.Cleanup(func() { killWithArg(token) })
			cmd.WaitDelay = 5 * time.Second
			code, stderr := exitCode(t, cmd)
			if code != 124 {
				t.Errorf("exit %d, want 124\n%s", code, stderr)
			}
			if left := testproc.PidsWithArg(token); len(left) > 0 {
				t.Errorf("%d processes forked during the run survive it\n%s", len(left), stderr)
			}
		})
	}
}

func killWithArg(token string) {
	for _, pid := range testproc.PidsWithArg(token) {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

func mostProcesses(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	most := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s samples.Snapshot
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatal(err)
		}
		if s.ProcessCount != nil {
			most = max(most, *s.ProcessCount)
		}
	}
	return most
}

func descriptorsOf(t *testing.T, path string) report.DescriptorFacts {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Run struct {
			Descriptors *report.DescriptorFacts `json:"descriptors"`
		} `json:"run"`
	}
	if err := json.Unmarshal(b, &a); err != nil || a.Run.Descriptors == nil {
		t.Fatalf("no run.descriptors in %s: %v", path, err)
	}
	return *a.Run.Descriptors
}
