// Command leaky is soakrun's demo target: a small service that leaks memory
// at a chosen rate, churns garbage like a collected runtime does, and can
// start child processes, one of which may escape into a session of its own
// the way a daemon does. It can also play the psutil monitor's other two
// scenarios: CPU that creeps up as work piles up (-cpu-creep) and a log
// that is never rotated (-disk-rate).
//
//	go run ./cmd/soakrun --timeout 20s --interval 250ms --min-span 10s -- go run ./examples/leaky
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	rate := flag.Float64("rate", 2, "memory to leak, in MB per second")
	churn := flag.Float64("churn", 8, "garbage to allocate and drop, in MB per second")
	children := flag.Int("children", 2, "child processes to start (each leaks at -child-rate)")
	childRate := flag.Float64("child-rate", 0, "leak rate of each child, in MB per second")
	escape := flag.Bool("escape", true, "start the last child in a new session, as a daemon would")
	duration := flag.Duration("duration", 0, "exit by itself after this long (0: run until stopped)")
	name := flag.String("name", "leaky", "name in log lines")
	cpuCreep := flag.Float64("cpu-creep", 0, "CPU to add each second, in percent of one core (work that piles up, as an O(n²) structure's does)")
	diskRate := flag.Float64("disk-rate", 0, "log to write and never rotate, in MB per second (removed at a graceful exit)")
	diskDir := flag.String("disk-dir", os.TempDir(), "where -disk-rate writes its log")
	flag.Parse()

	var disk *diskLog
	if *diskRate > 0 {
		var err error
		if disk, err = openDiskLog(*diskDir, *name); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", *name, err)
			os.Exit(1)
		}
		defer disk.remove()
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)

	if err := startChildren(*name, *children, *childRate, *escape); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", *name, err)
		os.Exit(1)
	}

	var kept [][]byte
	var exit <-chan time.Time
	if *duration > 0 {
		exit = time.After(*duration)
	}
	tick := time.NewTicker(100 * time.Millisecond)
	report := time.NewTicker(5 * time.Second)
	start := time.Now()
	var leaked float64
	for {
		select {
		case s := <-stop:
			fmt.Printf("%s: got %s after %s, leaked %.0f MB; exiting\n", *name, s, time.Since(start).Round(time.Second), leaked)
			return
		case <-exit:
			fmt.Printf("%s: done after %s, leaked %.0f MB\n", *name, *duration, leaked)
			return
		case <-report.C:
			fmt.Printf("%s: %s, leaked %.0f MB\n", *name, time.Since(start).Round(time.Second), leaked)
		case <-tick.C:
			if *rate > 0 {
				kept = append(kept, touched(*rate/10))
				leaked += *rate / 10
			}
			if *churn > 0 {
				_ = touched(*churn / 10) // garbage: the collector's sawtooth
			}
			if *cpuCreep > 0 {
				// The busy share of each tick grows with the time run, as
				// the cost of walking a list that only grows does.
				busy := min(time.Duration(*cpuCreep*time.Since(start).Seconds()/100*float64(100*time.Millisecond)), 90*time.Millisecond)
				for end := time.Now().Add(busy); time.Now().Before(end); {
				}
			}
			if disk != nil {
				if err := disk.write(*diskRate / 10); err != nil {
					fmt.Fprintf(os.Stderr, "%s: %v\n", *name, err)
					return
				}
			}
		}
	}
}

// startChildren starts n copies of this program, each leaking rate MB per
// second and starting none of its own; with escape the last one is in a
// session of its own.
func startChildren(name string, n int, rate float64, escape bool) error {
	for i := range n {
		args := []string{"-rate", strconv.FormatFloat(rate, 'f', -1, 64), "-children", "0",
			"-churn", "1", "-name", fmt.Sprintf("%s-child-%d", name, i+1)}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		cmd.SysProcAttr = detach(escape && i == n-1)
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("start child: %w", err)
		}
		fmt.Printf("%s: started child pid %d\n", name, cmd.Process.Pid)
	}
	return nil
}

// touched allocates mb megabytes and writes every page, so they count in
// the resident set and not only in the address space.
func touched(mb float64) []byte {
	b := make([]byte, int(mb*(1<<20)))
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	return b
}
