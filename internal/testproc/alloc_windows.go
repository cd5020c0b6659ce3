package testproc

func allocate(n int) []byte { return make([]byte, n) }
