package testproc

import (
	"runtime"
	"time"
)

// run plays the role: first the roles every platform has, then the
// platform's own.
func run(role string, args []string) int {
	switch role {
	case "exit": // exit CODE
		return atoi(arg(args, 0))
	case "sleep": // sleep DURATION
		ready(role)
		time.Sleep(duration(arg(args, 0)))
		return 0
	case "hold": // hold MB DURATION: keep MB of touched memory
		return hold(atoi(arg(args, 0)), duration(arg(args, 1)))
	case "spin": // spin DURATION: keep one core busy
		ready(role)
		for end := time.Now().Add(duration(arg(args, 0))); time.Now().Before(end); {
			runtime.Gosched()
		}
		return 0
	}
	return osRole(role, args)
}

// held keeps hold's memory reachable.
var held []byte

func hold(mb int, d time.Duration) int {
	held = allocate(mb << 20)
	for i := 0; i < len(held); i += 4096 {
		held[i] = 1
	}
	ready("hold")
	time.Sleep(d)
	return 0
}
