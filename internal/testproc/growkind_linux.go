package testproc

import (
	"bufio"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// growKind is the grow-kind role: it prints its ready line, waits for a
// line on stdin, then makes mb of resident memory of one kind, prints
// "grown", and holds it until stdin closes. Kinds: heap (the brk area,
// [heap]), anon (an anonymous mapping), shared (a /dev/shm file it maps),
// cache (a file it writes and reads back: page cache, mapped by no one).
func growKind(kind string, mb int) int {
	ready("grow-kind")
	in := bufio.NewReader(os.Stdin)
	if _, err := in.ReadString('\n'); err != nil {
		return 0
	}
	n := mb << 20
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = byte(i) | 1
	}
	switch kind {
	case "heap":
		cur, _, errno := unix.RawSyscall(unix.SYS_BRK, 0, 0, 0)
		if end, _, _ := unix.RawSyscall(unix.SYS_BRK, cur+uintptr(n), 0, 0); errno != 0 || end != cur+uintptr(n) {
			fail("grow-kind heap: brk refused")
		}
		// Touch the new pages through /proc/self/mem: the brk area is
		// no Go object to write through.
		mem, err := os.OpenFile("/proc/self/mem", os.O_RDWR, 0)
		if err != nil {
			fail("grow-kind heap: " + err.Error())
		}
		for off := 0; off < n; off += len(chunk) {
			if _, err := mem.WriteAt(chunk, int64(cur)+int64(off)); err != nil {
				fail("grow-kind heap: " + err.Error())
			}
		}
		mem.Close()
	case "anon":
		b := allocate(n)
		for off := 0; off < n; off += len(chunk) {
			copy(b[off:], chunk)
		}
	case "shared", "cache":
		dir := "/dev/shm"
		if kind == "cache" {
			dir = os.TempDir()
		}
		f, err := os.CreateTemp(dir, "soakrun-grow-kind-")
		if err != nil {
			fail("grow-kind: " + err.Error())
		}
		defer os.Remove(f.Name())
		for off := 0; off < n; off += len(chunk) {
			if _, err := f.Write(chunk); err != nil {
				fail("grow-kind: " + err.Error())
			}
		}
		if kind == "shared" {
			b, err := syscall.Mmap(int(f.Fd()), 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
			if err != nil {
				fail("grow-kind shared: " + err.Error())
			}
			for p := 0; p < n; p += 4096 {
				b[p] |= 1 // fault each page in: resident in this process
			}
		} else if _, err := f.ReadAt(chunk, 0); err != nil {
			fail("grow-kind cache: " + err.Error())
		}
	default:
		fail("grow-kind: no kind " + kind)
	}
	fmt.Println("grown")
	in.ReadString('\n') // hold until stdin closes
	return 0
}
