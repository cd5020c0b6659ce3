package testproc

// growKind: the kinds of memory it grows are Linux's.
func growKind(string, int) int {
	fail("grow-kind runs on Linux only")
	return 2
}
