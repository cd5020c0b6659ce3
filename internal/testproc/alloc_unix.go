//go:build linux || darwin

package testproc

import "syscall"

// allocate maps memory outside the Go heap, so the race detector's shadow
// memory does not add to what a helper is known to hold.
func allocate(n int) []byte {
	if n == 0 {
		return nil
	}
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		fail("mmap: " + err.Error())
	}
	return b
}

// release gives memory from allocate back to the system.
func release(b []byte) {
	if len(b) > 0 {
		syscall.Munmap(b)
	}
}
