package cgroup_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/proc"
)

// create makes a test's cgroup below the test process's own, named for the
// test and this process so that tests running at once never share one, and
// removes it at the end. It skips where this host gives no cgroup.
func create(t *testing.T) *cgroup.Group {
	t.Helper()
	name := fmt.Sprintf("soakrun-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))
	g, err := cgroup.Create(cgroup.Host{}, name)
	if errors.Is(err, cgroup.ErrUnavailable) {
		t.Skipf("no cgroup here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		g.Kill(time.Now().Add(5 * time.Second))
		if err := g.Remove(); err != nil {
			t.Errorf("remove: %v", err)
		}
		// Back out of the leaf Create moved this process into, where it
		// was alone in its cgroup: no test leaves a cgroup behind.
		if err := g.Leave(os.Getpid()); err != nil {
			t.Errorf("leave: %v", err)
		}
	})
	return g
}

// startIn starts role in g: cloned into its v2 directory, and joining its
// v1 directories before the role runs.
func startIn(t *testing.T, g *cgroup.Group, n int, role ...string) []int {
	t.Helper()
	if dirs := g.JoinDirs(); len(dirs) > 0 {
		role = append(append(append([]string{"join"}, dirs...), "--"), role...)
	}
	cmd := testproc.Command(role...)
	if fd := g.FD(); fd >= 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: fd}
	}
	return testproc.Start(t, cmd, n, nil)
}

// Every hierarchy this kernel mounts writable below the test's own cgroup
// gets the run's directory, and a process started in it is a member there.
func TestCreateJoinAndRemove(t *testing.T) {
	g := create(t)
	p := g.Paths()
	t.Logf("%s", g.Describe())
	dirs := append([]string{p.Unified}, g.JoinDirs()...)
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if fi, err := os.Stat(filepath.Join(d, "cgroup.procs")); err != nil || fi.IsDir() {
			t.Errorf("%s is not a cgroup: %v", d, err)
		}
	}
	pids := startIn(t, g, 1, "sleep", "1h")
	members, err := g.Procs()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(members, pids[0]) {
		t.Errorf("members %v lack the started process %d", members, pids[0])
	}
	// Each v1 hierarchy holds it as well.
	for _, d := range g.JoinDirs() {
		b, err := os.ReadFile(filepath.Join(d, "cgroup.procs"))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(strings.Fields(string(b)), fmt.Sprint(pids[0])) {
			t.Errorf("%s holds %q, not %d", d, b, pids[0])
		}
	}
	if populated, err := g.Populated(); err != nil || !populated {
		t.Errorf("populated = %v, %v with a member", populated, err)
	}
	if err := g.Kill(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if populated, err := g.Populated(); err != nil || populated {
		t.Errorf("populated = %v, %v after the kill", populated, err)
	}
	if err := g.Remove(); err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, err := os.Stat(d); d != "" && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there after Remove: %v", d, err)
		}
	}
}

// A tree forking as fast as it can is killed whole: by cgroup.kill on v2,
// and by freeze, kill, thaw on the v1 freezer alone.
func TestKillForkingTree(t *testing.T) {
	for _, v1only := range []bool{false, true} {
		t.Run(map[bool]string{false: "cgroup", true: "v1-freezer"}[v1only], func(t *testing.T) {
			g := create(t)
			if v1only {
				p := g.Paths()
				if p.Freezer == "" {
					t.Skip("no v1 freezer here")
				}
				p.Unified = "" // as on a kernel without cgroup v2
				g = cgroup.Open(cgroup.Handoff{Paths: p})
			}
			token := fmt.Sprintf("3600.%d%d", os.Getpid(), time.Now().UnixNano()%1e6)
			startIn(t, g, 3, "forker", token, "2")
			time.Sleep(50 * time.Millisecond) // let the forks run
			if err := g.Kill(time.Now().Add(10 * time.Second)); err != nil {
				t.Fatal(err)
			}
			if left := testproc.PidsWithArg(token); len(left) > 0 {
				t.Errorf("%d processes survive the kill: %v", len(left), left)
			}
			if pids, err := g.Procs(); err != nil || len(pids) > 0 {
				t.Errorf("cgroup.procs after the kill: %v, %v", pids, err)
			}
		})
	}
}

// A member that moves to a new session and double-forks stays a member:
// the kill takes it.
func TestKillReachesEscapedDaemon(t *testing.T) {
	g := create(t)
	pids := startIn(t, g, 3, "spawn", "--", "spawn", "setsid", "exit", "--", "ignore-term", "1h")
	var ids []proc.Identity
	for _, pid := range pids {
		if p, err := proc.Get(pid); err == nil && !p.Zombie {
			ids = append(ids, p.Identity)
		}
	}
	if err := g.Kill(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if proc.Alive(id) {
			t.Errorf("member %v alive after the kill", id)
			syscall.Kill(id.PID, syscall.SIGKILL)
		}
	}
}

// A cgroup the command made below the run's is a member too, and is
// removed with it.
func TestNestedCgroup(t *testing.T) {
	g := create(t)
	p := g.Paths()
	dir := p.Unified
	if dir == "" {
		dir = p.Freezer
	}
	if dir == "" {
		t.Skip("no cgroup to nest in")
	}
	inner := filepath.Join(dir, "inner")
	if err := os.Mkdir(inner, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := testproc.Command("sleep", "1h")
	pids := testproc.Start(t, cmd, 1, nil)
	if err := os.WriteFile(filepath.Join(inner, "cgroup.procs"), []byte(fmt.Sprint(pids[0])), 0); err != nil {
		t.Fatal(err)
	}
	if members, err := g.Procs(); err != nil || !slices.Contains(members, pids[0]) {
		t.Errorf("members %v, %v lack %d in a nested cgroup", members, err, pids[0])
	}
	if err := g.Kill(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if err := g.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(inner); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("nested cgroup left: %v", err)
	}
}

// Where no hierarchy takes a cgroup, Create says why in one phrase.
func TestUnavailable(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	self := write("self", "0::/\n4:memory:/job\n8:pids:/\n")
	missing := filepath.Join(dir, "nowhere")
	for _, tc := range []struct {
		name, mountinfo, want string
	}{
		{"read-only hybrid", `
30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
31 30 0:27 / /sys/fs/cgroup/unified ro,nosuid - cgroup2 cgroup2 rw
32 30 0:28 / /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory
33 30 0:29 / /sys/fs/cgroup/pids ro,nosuid - cgroup cgroup rw,pids
`, "/sys/fs/cgroup is read-only"},
		{"read-only v2", "31 30 0:27 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n", "/sys/fs/cgroup is read-only"},
		{"none mounted", "22 1 0:21 / /proc rw - proc proc rw\n", "no cgroup hierarchy is mounted"},
		// Our cgroup lies outside the mount's root (another namespace's
		// mount): there is nothing to make it below.
		{"not ours", "32 30 0:28 /other /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", "no cgroup hierarchy is mounted"},
		{"absent directory", "31 30 0:27 / " + missing + " rw - cgroup2 cgroup2 rw\n", missing + " is absent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := cgroup.Host{MountInfo: write("mountinfo", strings.TrimSpace(tc.mountinfo)+"\n"), SelfCgroup: self}
			g, err := cgroup.Create(h, "soakrun-test")
			if err == nil {
				g.Remove()
				t.Fatalf("made %+v", g.Paths())
			}
			if !errors.Is(err, cgroup.ErrUnavailable) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want ErrUnavailable saying %q", err, tc.want)
			}
		})
	}
}

// A hierarchy mounted below the test's own place (as in a container with a
// cgroup namespace, where the mount's root is the container's cgroup) is
// reached through the mount.
func TestOwnCgroupBelowMountRoot(t *testing.T) {
	dir := t.TempDir()
	mnt := filepath.Join(dir, "mnt")
	if err := os.MkdirAll(filepath.Join(mnt, "svc"), 0o755); err != nil {
		t.Fatal(err)
	}
	mi := filepath.Join(dir, "mountinfo")
	self := filepath.Join(dir, "self")
	os.WriteFile(mi, []byte("31 30 0:27 /ctr "+mnt+" rw - cgroup2 cgroup2 rw\n"), 0o644)
	os.WriteFile(self, []byte("0::/ctr/svc\n"), 0o644)
	g, err := cgroup.Create(cgroup.Host{MountInfo: mi, SelfCgroup: self}, "run")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(mnt, "svc", "run"); g.Paths().Unified != want {
		t.Errorf("made %q, want %q", g.Paths().Unified, want)
	}
	if err := g.Remove(); err != nil {
		t.Error(err)
	}
}
