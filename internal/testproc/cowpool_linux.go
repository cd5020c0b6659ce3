package testproc

import (
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// cowPool plays a pre-forking pool: the parent holds mb of touched memory,
// forks workers that share it copy-on-write, and each worker writes the
// inherited pages at mbPerS, copying them one by one, as the workers of a
// gunicorn, celery or multiprocessing pool do. Once a worker has copied the
// whole pool it stops, unless forever is set: then it goes on writing
// fresh pages of a reserve at the same rate, a pool that never stops
// growing (for 8 GB).
//
// The workers are forked, not started: only a fork shares the parent's
// pages. A forked Go child has one thread and no runtime to speak of, so a
// worker runs nothing but raw system calls and writes to memory outside the
// Go heap (see cowWorker).
func cowPool(mb, workers, mbPerS int, d time.Duration, forever bool) int {
	// The pool's pages, then an untouched reserve that costs nothing until
	// a worker writes it (forever mode).
	size, reserve := mb<<20, 0
	if forever {
		reserve = 8 << 30
	}
	pool, err := syscall.Mmap(-1, 0, size+reserve, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE|syscall.MAP_NORESERVE)
	if err != nil {
		fail("mmap: " + err.Error())
	}
	for i := 0; i < size; i += pageSize {
		pool[i] = 1
	}
	runtime.LockOSThread()
	pagesPerTick := max(1, mbPerS<<20/pageSize/10)
	var pids []int
	for range workers {
		pid, _, errno := syscall.RawSyscall(syscall.SYS_CLONE, uintptr(syscall.SIGCHLD), 0, 0)
		if errno != 0 {
			fail("fork worker: " + errno.Error())
		}
		if pid == 0 {
			cowWorker(unsafe.Pointer(&pool[0]), len(pool), pagesPerTick)
		}
		pids = append(pids, int(pid))
	}
	runtime.UnlockOSThread()
	ready("cow-pool")
	time.Sleep(d)
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGKILL)
		var ws syscall.WaitStatus
		syscall.Wait4(pid, &ws, 0, nil)
	}
	return 0
}

const pageSize = 4096

// cowWorker is a forked worker's whole life. It must not grow its stack,
// allocate, or enter the Go runtime (nosplit, norace, raw system calls
// only): the forked child has none of the runtime's other threads. It
// blocks every signal but SIGKILL and dies with its parent.
//
//go:nosplit
//go:norace
func cowWorker(base unsafe.Pointer, size, pagesPerTick int) {
	all := ^uint64(0)
	syscall.RawSyscall6(syscall.SYS_RT_SIGPROCMASK, 2 /* SIG_SETMASK */, uintptr(unsafe.Pointer(&all)), 0, 8, 0, 0)
	syscall.RawSyscall(syscall.SYS_PRCTL, 1 /* PR_SET_PDEATHSIG */, uintptr(syscall.SIGKILL), 0)
	tick := syscall.Timespec{Nsec: 100e6}
	next := 0
	for {
		for i := 0; i < pagesPerTick; i++ {
			if next >= size {
				break
			}
			*(*byte)(unsafe.Add(base, next))++
			next += pageSize
		}
		syscall.RawSyscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&tick)), 0, 0)
	}
}
