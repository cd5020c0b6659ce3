//go:build linux || darwin

package supervisor

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// InvokingUser is the user who started soakrun through sudo, as sudo tells
// it (SUDO_UID, SUDO_GID), with the user's name, home and supplementary
// groups from the user database. It fails unless soakrun runs as root
// through sudo.
func InvokingUser() (*User, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("soakrun is not running as root (start it through sudo)")
	}
	uidS, gidS := os.Getenv("SUDO_UID"), os.Getenv("SUDO_GID")
	if uidS == "" || gidS == "" {
		return nil, errors.New("SUDO_UID or SUDO_GID is not set (start soakrun through sudo)")
	}
	uid, err := strconv.ParseUint(uidS, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("SUDO_UID %q: %w", uidS, err)
	}
	gid, err := strconv.ParseUint(gidS, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("SUDO_GID %q: %w", gidS, err)
	}
	u, err := user.LookupId(uidS)
	if err != nil {
		return nil, fmt.Errorf("look up user %s: %w", uidS, err)
	}
	names, err := u.GroupIds()
	if err != nil {
		return nil, fmt.Errorf("look up the groups of %s: %w", u.Username, err)
	}
	out := &User{Name: u.Username, Home: u.HomeDir, UID: uint32(uid), GID: uint32(gid)}
	for _, n := range names {
		if g, err := strconv.ParseUint(n, 10, 32); err == nil {
			out.Groups = append(out.Groups, uint32(g))
		}
	}
	return out, nil
}

// credential is u as the kernel takes it at exec.
func (u *User) credential() *syscall.Credential {
	return &syscall.Credential{Uid: u.UID, Gid: u.GID, Groups: u.Groups}
}
