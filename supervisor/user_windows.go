package supervisor

import "errors"

// InvokingUser fails: Windows has no sudo to run soakrun as another user.
func InvokingUser() (*User, error) {
	return nil, errors.New("running the command as the invoking user is for soakrun started through sudo, on Linux and macOS")
}
