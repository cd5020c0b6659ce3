package testproc

import (
	"os"
	"runtime"
	"time"
)

// run plays the role: first the roles every platform has, then the
// platform's own.
func run(role string, args []string) int {
	switch role {
	case "exit": // exit CODE
		return atoi(arg(args, 0))
	case "touch": // touch PATH: create a file, to show the role ran
		f, err := os.Create(arg(args, 0))
		if err != nil {
			fail(err.Error())
		}
		f.Close()
		return 0
	case "sleep": // sleep DURATION
		ready(role)
		time.Sleep(duration(arg(args, 0)))
		return 0
	case "hold": // hold MB DURATION: keep MB of touched memory
		return hold(atoi(arg(args, 0)), duration(arg(args, 1)))
	case "leak-mem": // leak-mem MB_PER_S DURATION: grow and never free, then exit 0
		return every(duration(arg(args, 1)), func() { keep = append(keep, touched(atoi(arg(args, 0))<<20/10)) })
	case "leak-fds": // leak-fds PER_S DURATION: open files and never close them
		n := atoi(arg(args, 0))
		return every(duration(arg(args, 1)), func() {
			for range max(1, n/10) {
				f, err := os.Open(os.DevNull)
				if err != nil {
					fail(err.Error())
				}
				files = append(files, f)
			}
		})
	case "leak-threads": // leak-threads PER_S DURATION: start OS threads that never end
		n := atoi(arg(args, 0))
		tick := 0
		return every(duration(arg(args, 1)), func() {
			if tick++; tick%max(1, 10/max(1, n)) == 0 {
				go func() { runtime.LockOSThread(); select {} }()
			}
		})
	case "churn": // churn MB DURATION: allocate and free MB over and over, a sawtooth
		mb := atoi(arg(args, 0))
		var held [][]byte
		return every(duration(arg(args, 1)), func() {
			if held = append(held, touched(mb<<20/5)); len(held) == 5 {
				for _, b := range held {
					release(b)
				}
				held = nil
			}
		})
	case "write-stdout": // write-stdout MB: write MB of zeros to stdout, after the ready line
		ready(role)
		return writeStdout(atoi(arg(args, 0)))
	case "write-file": // write-file PATH MB DURATION: write MB to PATH (page cache), then sleep
		if err := os.WriteFile(arg(args, 0), make([]byte, atoi(arg(args, 1))<<20), 0o644); err != nil {
			fail(err.Error())
		}
		ready(role)
		time.Sleep(duration(arg(args, 2)))
		return 0
	case "fill-disk": // fill-disk PATH MB DURATION: after the ready line, write MB to PATH at an even pace over DURATION, a log never rotated
		f, err := os.Create(arg(args, 0))
		if err != nil {
			fail(err.Error())
		}
		ready(role)
		return fillDisk(f, atoi(arg(args, 1)), duration(arg(args, 2)))
	case "spin": // spin DURATION: keep one core busy
		ready(role)
		for end := time.Now().Add(duration(arg(args, 0))); time.Now().Before(end); {
			runtime.Gosched()
		}
		return 0
	}
	return osRole(role, args)
}

// writeStdout writes mb MB of zeros to stdout; a pipe's reader gets a
// moment to look at fd 1 first.
func writeStdout(mb int) int {
	if fi, err := os.Stdout.Stat(); err == nil && fi.Mode()&os.ModeNamedPipe != 0 {
		time.Sleep(200 * time.Millisecond)
	}
	chunk := make([]byte, 1<<20)
	for range mb {
		if _, err := os.Stdout.Write(chunk); err != nil {
			fail(err.Error())
		}
	}
	return 0
}

// fillDisk writes mb MB to f at an even pace over d, and closes it.
func fillDisk(f *os.File, mb int, d time.Duration) int {
	chunk := make([]byte, 1<<20)
	start := time.Now()
	for i := range mb {
		if _, err := f.Write(chunk); err != nil {
			fail(err.Error())
		}
		time.Sleep(time.Until(start.Add(d * time.Duration(i+1) / time.Duration(mb))))
	}
	if err := f.Close(); err != nil {
		fail(err.Error())
	}
	return 0
}

// held, keep and files keep what the roles hold reachable.
var (
	held  []byte
	keep  [][]byte
	files []*os.File
)

// every calls f ten times a second for d, after saying it is ready.
func every(d time.Duration, f func()) int {
	ready("every")
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for end := time.Now().Add(d); time.Now().Before(end); <-tick.C {
		f()
	}
	return 0
}

// touched allocates n bytes and writes every page, so they count in RSS.
func touched(n int) []byte {
	b := allocate(n)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	return b
}

func hold(mb int, d time.Duration) int {
	held = touched(mb << 20)
	ready("hold")
	time.Sleep(d)
	return 0
}
