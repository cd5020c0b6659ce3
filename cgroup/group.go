package cgroup

import "errors"

// ErrUnavailable is wrapped by Create's error when no cgroup could be made
// for the run; the message says why (read-only, not writable, no cgroups on
// this system).
var ErrUnavailable = errors.New("no cgroup")
