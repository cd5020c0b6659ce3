package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

// soakrun started through sudo with --as-invoking-user runs the command as
// the user sudo names, and gives that user every file the run writes;
// without sudo's variables it runs nothing and says why in one line.
func TestAsInvokingUser(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root, as soakrun started through sudo has")
	}
	dir := testproc.TempDir(t)
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	const uid = 65534
	cmd := exec.Command(os.Args[0], "--as-invoking-user", "--interval", "200ms", "--min-span", "0", "--", "/bin/sh", "-c", "id -u >uid; sleep 1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), envAsSoakrun+"=1", "SUDO_UID=65534", "SUDO_GID=65534", "SUDO_USER=nobody")
	if code, stderr := exitCode(t, cmd); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "uid")); err != nil || strings.TrimSpace(string(b)) != "65534" {
		t.Errorf("the command ran as uid %q (%v), want 65534", b, err)
	}
	for _, name := range []string{"uid", "resources.jsonl", "resources.analysis.json", "resources.report.html"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != uid || st.Gid != uid {
			t.Errorf("%s is owned by %d:%d, want %d:%d", name, st.Uid, st.Gid, uid, uid)
		}
	}

	marker := filepath.Join(dir, "ran")
	cmd = exec.Command(os.Args[0], "--as-invoking-user", "--", "/bin/sh", "-c", "touch "+marker)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), envAsSoakrun+"=1", "SUDO_UID=", "SUDO_GID=")
	code, stderr := exitCode(t, cmd)
	want := "soakrun: --as-invoking-user: SUDO_UID or SUDO_GID is not set (start soakrun through sudo)\n"
	if code != 125 || stderr != want {
		t.Errorf("without sudo's variables: exit %d, stderr %q; want 125, %q", code, stderr, want)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran without a user to run as")
	}
}
