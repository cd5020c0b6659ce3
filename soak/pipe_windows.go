package soak

// survivePipeErrors has nothing to do on Windows: a write to a closed pipe
// fails with an error there, never a signal.
func survivePipeErrors() {}
