package supervisor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// User is who the command runs as when it is not soakrun's own user: the
// user who started soakrun through sudo (InvokingUser), so that soakrun
// has root's rights over cgroups while the command has none of them.
type User struct {
	Name     string
	Home     string
	UID, GID uint32
	// Groups are the user's supplementary groups, the primary among them.
	Groups []uint32
}

// environFor is env (nil: soakrun's own) as the user would have it: HOME,
// USER and LOGNAME the user's, sudo's own variables gone.
func environFor(env []string, u *User) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env)+3)
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "USER", "LOGNAME":
			continue
		}
		if strings.HasPrefix(k, "SUDO_") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "HOME="+u.Home, "USER="+u.Name, "LOGNAME="+u.Name)
}

// Chown gives the files at paths to u, a directory with everything in it;
// a path that does not exist is skipped.
func (u *User) Chown(paths ...string) error {
	var errs []error
	for _, p := range paths {
		if p == "" {
			continue
		}
		err := filepath.WalkDir(p, func(q string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(q, int(u.UID), int(u.GID))
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("give %s to %s: %w", p, u.Name, err))
		}
	}
	return errors.Join(errs...)
}
