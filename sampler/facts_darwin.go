package sampler

// distribution is empty on macOS: the kernel release says enough.
func distribution() (id, version string) { return "", "" }

// networkBytes is unknown on macOS: gopsutil would run netstat(1), a child
// of soakrun that the supervisor's reaper would count as part of the tree.
func networkBytes() (sent, recv *uint64) { return nil, nil }
