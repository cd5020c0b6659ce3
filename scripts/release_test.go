package scripts

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// repoRoot is the checkout these tests run in.
const repoRoot = ".."

// checkoutFiles are the files of this checkout as git sees them, untracked
// ones included so that the change under test is among them, by their
// slash-separated paths.
func checkoutFiles(t *testing.T) map[string]os.FileInfo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git")
	}
	ls, err := exec.Command("git", "-C", repoRoot, "ls-files", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	files := map[string]os.FileInfo{}
	for _, f := range strings.Split(strings.TrimSpace(string(ls)), "\n") {
		if fi, err := os.Stat(filepath.Join(repoRoot, f)); err == nil { // else deleted in the work tree
			files[f] = fi
		}
	}
	return files
}

// taggedCopy commits this checkout's files into a fresh repository tagged
// tag, as a release is built from a tagged commit.
func taggedCopy(t *testing.T, tag string) (dir, revision string) {
	t.Helper()
	dir = checkoutCopy(t)
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "-c", "user.name=release test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "release")
	git(t, dir, "tag", tag)
	return dir, strings.TrimSpace(git(t, dir, "rev-parse", "HEAD"))
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// The release script builds binaries that know their tag and revision,
// with a SHA256SUMS file that matches them. It builds the host's platform
// and Windows here; the task builds all five.
func TestReleaseScript(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds soakrun twice from scratch")
	}
	dir, revision := taggedCopy(t, "v1.2.3")
	host := runtime.GOOS + "/" + runtime.GOARCH
	platforms := host
	if runtime.GOOS != "windows" {
		platforms += " windows/amd64"
	}
	dist := filepath.Join(dir, "dist")
	cmd := exec.Command("bash", "scripts/release.sh")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PLATFORMS="+platforms)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("release.sh: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "soakrun v1.2.3: 2 binaries") {
		t.Errorf("release.sh said:\n%s", out)
	}

	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for sc := bufio.NewScanner(strings.NewReader(string(sums))); sc.Scan(); {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		listed[name] = sum
	}
	for _, p := range strings.Fields(platforms) {
		name := "soakrun-" + strings.ReplaceAll(p, "/", "-")
		if strings.HasPrefix(p, "windows/") {
			name += ".exe"
		}
		b, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatalf("%s not built: %v", name, err)
		}
		got := sha256.Sum256(b)
		if listed[name] != hex.EncodeToString(got[:]) {
			t.Errorf("SHA256SUMS lists %s as %q, its sum is %x", name, listed[name], got)
		}
		delete(listed, name)
	}
	if len(listed) != 0 {
		t.Errorf("SHA256SUMS lists files not built: %v", listed)
	}

	exe := filepath.Join(dist, "soakrun-"+strings.ReplaceAll(host, "/", "-"))
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	v, err := exec.Command(exe, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", exe, err)
	}
	if want := "soakrun version v1.2.3 (revision " + revision + ", committed "; !strings.HasPrefix(string(v), want) {
		t.Errorf("--version printed %q, want it to start %q", v, want)
	}

	// A change not yet committed makes a dirty build that says so.
	os.WriteFile(filepath.Join(dir, "cmd/soakrun/uncommitted.go"), []byte("package main\n"), 0o644)
	dirty := filepath.Join(t.TempDir(), "soakrun")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", dirty, "./cmd/soakrun")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	v, err = exec.Command(dirty, "--version").Output()
	if err != nil {
		t.Fatalf("--version: %v", err)
	}
	if want := "+dirty (revision " + revision + " (modified), "; !strings.Contains(string(v), want) {
		t.Errorf("a dirty build's --version printed %q, want %q in it", v, want)
	}
}
