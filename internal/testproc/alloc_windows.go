package testproc

func allocate(n int) []byte { return make([]byte, n) }

// release drops memory from allocate; the collector returns it.
func release([]byte) {}
