package supervisor

// Abort is a decision, made outside the supervisor, to end the run before
// its time: the tree passed a hard ceiling, or its verdict is already in.
// Wait stops the tree through the same sequence as a timeout.
type Abort struct {
	// Reason says why, for people: "--max-tree-memory: tree memory
	// 2101.3 MB (RSS sum) is over the ceiling of 2048.0 MB".
	Reason string
	// ExitCode is the run's exit code, as 124 is a timeout's.
	ExitCode int
}

// Abort asks Wait to stop the tree now. It is safe to call from any
// goroutine, at any time; only the first call of a run counts, and a call
// before Start or after the tree began to stop does nothing.
func (s *Supervisor) Abort(a Abort) {
	s.mu.Lock()
	ch := s.abort
	s.mu.Unlock()
	if ch == nil {
		return
	}
	select {
	case ch <- a:
	default: // one is pending already
	}
}
