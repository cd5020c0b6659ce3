package supervisor

// killGuardedCgroup has nothing to do: macOS has no cgroups.
func killGuardedCgroup() error { return nil }
