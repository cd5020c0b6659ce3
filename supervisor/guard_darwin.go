package supervisor

import "github.com/soakrun/soakrun/proc"

// guardHasCgroup is false: macOS has no cgroups.
func guardHasCgroup() bool { return false }

// killGuardedCgroup has nothing to do: macOS has no cgroups.
func killGuardedCgroup(bool, proc.Identity) error { return nil }
