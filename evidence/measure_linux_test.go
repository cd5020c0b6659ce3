package evidence

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

const grownMB = 64

// grow starts a helper that grows kind by grownMB when told, and returns
// the breakdown and resident set before and after, as listed.
func grow(t *testing.T, kind string) (before, after Process, rssGrowth float64) {
	t.Helper()
	cmd := testproc.Command("grow-kind", kind, fmt.Sprint(grownMB))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() }()
	out := bufio.NewReader(stdout)
	if _, err := testproc.WaitReady(out, 1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	measure := func() (Process, uint64) {
		p, err := proc.Get(cmd.Process.Pid)
		if err != nil {
			t.Fatal(err)
		}
		b := Measure([]proc.Process{p}, cgroup.Paths{}, 1)
		if len(b.Processes) != 1 {
			t.Fatalf("no breakdown of the helper")
		}
		p, _ = proc.Get(cmd.Process.Pid)
		return b.Processes[0], p.RSSBytes
	}
	before, rss0 := measure()
	fmt.Fprintln(stdin)
	if line, err := out.ReadString('\n'); err != nil || strings.TrimSpace(line) != "grown" {
		t.Fatalf("helper said %q, %v", line, err)
	}
	after, rss1 := measure()
	return before, after, float64(rss1) - float64(rss0)
}

// Memory of each kind a process grows is found as that kind, 10 runs in
// 10, and the kinds add up to the growth of its resident set; a file read
// into the page cache is no growth of the process at all.
func TestBreakdownNamesTheKindThatGrew(t *testing.T) {
	runs := 10
	if testing.Short() {
		runs = 3
	}
	for _, tc := range []struct {
		kind string
		want Kind // "": none
	}{{"heap", Heap}, {"anon", Anon}, {"shared", Shared}, {"cache", ""}} {
		t.Run(tc.kind, func(t *testing.T) {
			for run := range runs {
				before, after, rss := grow(t, tc.kind)
				g := Grew(before, after)
				if tc.want == "" {
					if math.Abs(g.Total()) > 0.1*grownMB*(1<<20) {
						t.Errorf("run %d: a file read into the page cache grew the process: %s", run, g)
					}
					continue
				}
				if got := g.Bytes[tc.want]; math.Abs(got-grownMB*(1<<20)) > 0.1*grownMB*(1<<20) {
					t.Errorf("run %d: %s grew %.1f MB, want %d MB: %s", run, tc.want, got/(1<<20), grownMB, g)
				}
				if math.Abs(g.Total()-rss) > 0.1*rss {
					t.Errorf("run %d: the kinds add up to %.1f MB, the resident set grew %.1f MB", run, g.Total()/(1<<20), rss/(1<<20))
				}
				if !strings.Contains(g.String(), tc.want.Words()+" +6") {
					t.Errorf("run %d: %q does not name %s first", run, g, tc.want.Words())
				}
			}
		})
	}
}

// Take writes the moment's evidence: the breakdown, every member's line,
// and the largest members' own files.
func TestTakeWritesTheEvidence(t *testing.T) {
	cmd := testproc.Command("hold", "32", "1h")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	if _, err := testproc.WaitReady(stdout, 1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	p, _ := proc.Get(cmd.Process.Pid)
	dir := filepath.Join(t.TempDir(), "before-stop")
	b, err := Take(dir, []proc.Process{p}, cgroup.Paths{})
	if err != nil || len(b.Processes) != 1 {
		t.Fatalf("breakdown %+v: %v", b, err)
	}
	for _, name := range []string{"breakdown.json", "members.tsv", fmt.Sprintf("%d/status", p.PID), fmt.Sprintf("%d/smaps_rollup", p.PID), fmt.Sprintf("%d/mappings.txt", p.PID)} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	tsv, _ := os.ReadFile(filepath.Join(dir, "members.tsv"))
	if !strings.Contains(string(tsv), fmt.Sprintf("\n%d\t", p.PID)) {
		t.Errorf("members.tsv lacks the member:\n%s", tsv)
	}
}
