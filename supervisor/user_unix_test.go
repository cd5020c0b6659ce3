//go:build linux || darwin

package supervisor

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// nobody is a user with a supplementary group besides its own, as sudo's
// caller has them.
var nobody = &User{Name: "nobody", Home: "/nonexistent", UID: 65534, GID: 65534, Groups: []uint32{65534, 100}}

// With User set, the command, and a command run aside, run as that user
// with its groups, HOME, USER and LOGNAME, and without sudo's variables;
// the supervisor still stops the tree.
func TestCommandRunsAsTheUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("running a command as another user needs root")
	}
	const report = `echo "$(id -u) $(id -g) $(id -G | tr ' ' '\n' | sort -n | tr '\n' ' ')$HOME $USER $LOGNAME ${SUDO_UID-unset}"`
	want := "65534 65534 100 65534 /nonexistent nobody nobody unset"
	eachContainment(t, func(t *testing.T, mode CgroupMode) {
		out, err := os.Create(t.TempDir() + "/out")
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		env := append(slices.Clip(os.Environ()), "SUDO_UID=1000", "SUDO_USER=someone", "HOME=/root", "USER=root")
		s := &Supervisor{
			Args: []string{"/bin/sh", "-c", report + "; exec sleep 30"}, Env: env, Dir: "/",
			User: nobody, Cgroup: mode, Timeout: 3 * time.Second, KillAfter: time.Second, Stdout: out,
		}
		if err := s.Start(); err != nil {
			t.Fatal(err)
		}
		aside, err := os.Create(t.TempDir() + "/aside")
		if err != nil {
			t.Fatal(err)
		}
		defer aside.Close()
		hook := exec.Command("/bin/sh", "-c", report)
		hook.Env, hook.Dir, hook.Stdout = env, "/", aside // a file: RunAside waits for the process, not for a copy
		if code, err := s.RunAside(hook, 10*time.Second); code != 0 || err != nil {
			t.Errorf("aside: exit %d, %v", code, err)
		}
		res := wait(t, s)
		if !res.TimedOut {
			t.Errorf("the command was not stopped at the timeout: %+v", res)
		}
		seen, _ := os.ReadFile(out.Name())
		if got := strings.TrimSpace(string(seen)); got != want {
			t.Errorf("the command saw %q, want %q", got, want)
		}
		seen, _ = os.ReadFile(aside.Name())
		if got := strings.TrimSpace(string(seen)); got != want {
			t.Errorf("the command run aside saw %q, want %q", got, want)
		}
	})
}
