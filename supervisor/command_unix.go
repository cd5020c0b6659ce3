//go:build linux || darwin

package supervisor

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// newCommand resolves args[0] as execvp(3), and so GNU timeout and env,
// do: a name with a slash is used as it is; otherwise each directory of
// PATH in turn (an empty entry is the working directory), and the first
// executable file wins. A name found only as something that cannot be
// executed (a file without execute permission, a directory) is
// ErrNotExecutable naming what was found, exit 126; ErrNotFound, 127, only
// when nothing was found. os/exec's LookPath skips the first kind and
// reports "not found".
func newCommand(args []string, dir string, env []string) (*exec.Cmd, error) {
	path, err := findCommand(args[0], dir, pathOf(env))
	if err != nil {
		return nil, err
	}
	return &exec.Cmd{Path: path, Args: args, Dir: dir, Env: env}, nil
}

func pathOf(env []string) string {
	if env == nil {
		if p, ok := os.LookupEnv("PATH"); ok {
			return p
		}
		return "/bin:/usr/bin" // execvp's default
	}
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], "PATH="); ok {
			return v
		}
	}
	return "/bin:/usr/bin"
}

func findCommand(name, dir, path string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("%q: %w", name, ErrNotFound)
	}
	if strings.Contains(name, "/") {
		return name, checkExecutable(name, name, dir)
	}
	var unrunnable error
	for _, d := range filepath.SplitList(path) {
		if d == "" {
			d = "."
		}
		p := filepath.Join(d, name)
		if !strings.Contains(p, "/") {
			p = "./" + p
		}
		err := checkExecutable(name, p, dir)
		if err == nil {
			return p, nil
		}
		if unrunnable == nil && !errors.Is(err, ErrNotFound) {
			unrunnable = err
		}
	}
	if unrunnable != nil {
		return "", unrunnable
	}
	return "", fmt.Errorf("%s: %w", name, ErrNotFound)
}

// checkExecutable says whether path (relative to dir) names a file this
// process may execute.
func checkExecutable(name, path, dir string) error {
	at := path
	if dir != "" && !filepath.IsAbs(path) {
		at = filepath.Join(dir, path)
	}
	fi, err := os.Stat(at)
	if err != nil {
		return fmt.Errorf("%s: %w", path, ErrNotFound)
	}
	if fi.IsDir() {
		return fmt.Errorf("%s: %w (is a directory)", path, ErrNotExecutable)
	}
	if err := unix.Faccessat(unix.AT_FDCWD, at, unix.X_OK, unix.AT_EACCESS); err != nil {
		return fmt.Errorf("%s: %w (%v)", path, ErrNotExecutable, err)
	}
	return nil
}
