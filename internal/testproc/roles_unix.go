//go:build linux || darwin

package testproc

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// osRole runs the roles only Unix has.
func osRole(role string, args []string) int {
	switch role {
	case "kill-self": // kill-self SIGNUM: die of a signal
		syscall.Kill(os.Getpid(), syscall.Signal(atoi(arg(args, 0))))
		time.Sleep(time.Minute)
		return 1
	case "ignore-term": // ignore-term DURATION: survives the polite signal
		signal.Ignore(syscall.SIGTERM)
		ready(role)
		time.Sleep(duration(arg(args, 0)))
		return 0
	case "signals": // signals EXIT_AFTER: print each signal, exit that long after the first
		return countSignals(duration(arg(args, 0)))
	case "spawn": // spawn [setsid] [exit] [late] -- ROLE...: start a child (after 300 ms if late), then sleep or exit
		return spawn(args)
	case "orphans": // orphans N CODE: leave N orphans behind, then exit CODE
		return orphans(atoi(arg(args, 0)), atoi(arg(args, 1)))
	case "churn-tree": // churn-tree N DURATION: keep N short-lived sleeps alive, replacing each as it exits
		return churnTree(atoi(arg(args, 0)), duration(arg(args, 1)))
	case "grow-kind": // grow-kind KIND MB: at a line on stdin, grow KIND (heap, anon, shared, cache) by MB; print "grown"; hold until stdin closes
		return growKind(arg(args, 0), atoi(arg(args, 1)))
	case "used-then-spin": // used-then-spin DURATION: print "used NS", the CPU this process has used so far (its start-up, a join), then keep one core busy
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		fmt.Printf("used %d\n", ru.Utime.Nano()+ru.Stime.Nano())
		return run("spin", args)
	case "forker": // forker TOKEN DEPTH: fork sleeps carrying TOKEN without pause
		return forker(arg(args, 0), atoi(arg(args, 1)))
	case "join": // join DIR... -- ROLE...: move into the cgroups DIR..., then play ROLE there
		for i, a := range args {
			if a == "--" {
				for _, dir := range args[:i] {
					if err := os.WriteFile(dir+"/cgroup.procs", []byte(strconv.Itoa(os.Getpid())), 0); err != nil {
						fail("join: " + err.Error())
					}
				}
				return run(arg(args, i+1), args[i+2:])
			}
		}
		fail("join needs -- ROLE")
		return 2
	case "fork-spin": // fork-spin N CPU DURATION: run N children one after another, each burning CPU of CPU time, wait for each; print "account NS" (its own CPU and its children's), then sleep
		n, burn := atoi(arg(args, 0)), arg(args, 1)
		for range n {
			if err := Command("burn", burn).Run(); err != nil {
				fail("fork-spin: " + err.Error())
			}
		}
		var self, children syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &self)
		syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
		fmt.Printf("account %d\n", self.Utime.Nano()+self.Stime.Nano()+children.Utime.Nano()+children.Stime.Nano())
		ready(role)
		time.Sleep(duration(arg(args, 2)))
		return 0
	case "cow-pool": // cow-pool MB WORKERS MB_PER_S DURATION [forever]: a pre-forking pool whose workers copy the parent's pages (see cowPool)
		return cowPool(atoi(arg(args, 0)), atoi(arg(args, 1)), atoi(arg(args, 2)), duration(arg(args, 3)), len(args) > 4 && args[4] == "forever")
	case "orphan-burn": // orphan-burn N CPU: leave N orphans that each burn CPU; print "account NS" (all the CPU the load used) once they are done
		return orphanBurn(atoi(arg(args, 0)), arg(args, 1))
	case "burn": // burn CPU: use CPU of CPU time (not wall time), print "burned NS", exit
		d := duration(arg(args, 0))
		for {
			var ru syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			if used := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()); used >= d {
				fmt.Printf("burned %d\n", used.Nanoseconds())
				return 0
			}
			for i := 0; i < 1e6; i++ {
				sink += i
			}
		}
	case "zombie-parent": // zombie-parent: leave a child unreaped, then sleep
		cmd := Command("exit", "0")
		if err := cmd.Start(); err != nil {
			fail(err.Error())
		}
		fmt.Printf("zombie %d\n", cmd.Process.Pid)
		ready(role)
		time.Sleep(time.Hour)
		return 0
	}
	fail("unknown role " + role)
	return 2
}

// orphanBurn counts the CPU of a load whose workers are orphans, reaped by
// whoever reaps orphans (a subreaper such as soakrun): a middle process
// starts n burners and exits at once; each burner reports its own CPU on
// the pipe it inherited, and the load's account is its own CPU, the
// middle's (which it waited for) and the burners' reports.
func orphanBurn(n int, burn string) int {
	if os.Getenv("SOAKRUN_TESTPROC_MIDDLE") != "" {
		for range n {
			cmd := Command("burn", burn)
			cmd.Stdout = os.Stdout
			if err := cmd.Start(); err != nil {
				fail(err.Error())
			}
		}
		return 0
	}
	r, w, err := os.Pipe()
	if err != nil {
		fail(err.Error())
	}
	middle := Command("orphan-burn", strconv.Itoa(n), burn)
	middle.Env = append(middle.Env, "SOAKRUN_TESTPROC_MIDDLE=1")
	middle.Stdout = w
	if err := middle.Run(); err != nil {
		fail("middle: " + err.Error())
	}
	w.Close()
	var burned int64
	sc := bufio.NewScanner(r)
	for got := 0; got < n && sc.Scan(); {
		if v, ok := strings.CutPrefix(sc.Text(), "burned "); ok {
			ns, _ := strconv.ParseInt(v, 10, 64)
			burned += ns
			got++
		}
	}
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	fmt.Printf("account %d\n", burned+self.Utime.Nano()+self.Stime.Nano()+children.Utime.Nano()+children.Stime.Nano())
	ready("orphan-burn")
	return 0
}

// sink keeps burn's loop from being optimised away.
var sink int

func countSignals(exitAfter time.Duration) int {
	ch := make(chan os.Signal, 16)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2)
	ready("signals")
	var done <-chan time.Time
	for {
		select {
		case s := <-ch:
			fmt.Printf("signal %d\n", s.(syscall.Signal))
			if done == nil {
				done = time.After(exitAfter)
			}
		case <-done:
			return 0
		}
	}
}

func spawn(args []string) int {
	setsid, exit := false, false
	i := 0
	for ; i < len(args) && args[i] != "--"; i++ {
		switch args[i] {
		case "setsid":
			setsid = true
		case "exit":
			exit = true
		case "late":
			time.Sleep(300 * time.Millisecond)
		}
	}
	if i >= len(args)-1 {
		fail("spawn needs -- ROLE")
	}
	cmd := Command(args[i+1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: setsid}
	if err := cmd.Start(); err != nil {
		fail(err.Error())
	}
	ready("spawn")
	if exit {
		return 0
	}
	signal.Ignore(syscall.SIGTERM)
	cmd.Wait()
	time.Sleep(time.Hour)
	return 0
}

func orphans(n, code int) int {
	// A middle process forks the orphans and exits without waiting, so they
	// are reparented to the nearest subreaper.
	if os.Getenv("SOAKRUN_TESTPROC_MIDDLE") == "" {
		cmd := Command("orphans", strconv.Itoa(n), "0")
		cmd.Env = append(cmd.Env, "SOAKRUN_TESTPROC_MIDDLE=1")
		if err := cmd.Run(); err != nil {
			fail("middle: " + err.Error())
		}
		ready("orphans")
		time.Sleep(200 * time.Millisecond)
		return code
	}
	attr := &syscall.ProcAttr{Files: []uintptr{0, 1, 2}}
	for range n {
		if _, err := syscall.ForkExec("/bin/sleep", []string{"sleep", "0.05"}, attr); err != nil {
			fail("fork orphan: " + err.Error())
		}
	}
	return 0
}

// forker makes a tree that keeps forking while it is being killed: DEPTH
// nested forkers, each starting sleeps as fast as it can (at most 500).
func forker(token string, depth int) int {
	signal.Ignore(syscall.SIGTERM)
	if depth > 0 {
		cmd := Command("forker", token, strconv.Itoa(depth-1))
		cmd.Stdout = os.Stdout
		if err := cmd.Start(); err != nil {
			fail(err.Error())
		}
	}
	ready("forker")
	attr := &syscall.ProcAttr{Files: []uintptr{0, 1, 2}}
	for range 500 {
		syscall.ForkExec("/bin/sleep", []string{"sleep", "3600", token}, attr)
		time.Sleep(time.Millisecond)
	}
	time.Sleep(time.Hour)
	return 0
}

func churnTree(n int, d time.Duration) int {
	done := make(chan struct{}, n)
	start := func(i int) {
		life := fmt.Sprintf("%.2f", 0.2+float64(i%10)*0.2) // 0.2 s to 2 s
		cmd := exec.Command("/bin/sleep", life)
		if err := cmd.Start(); err != nil {
			fail(err.Error())
		}
		go func() { cmd.Wait(); done <- struct{}{} }()
	}
	for i := range n {
		start(i)
	}
	ready("churn-tree")
	end := time.After(d)
	for i := n; ; i++ {
		select {
		case <-done:
			start(i)
		case <-end:
			return 0
		}
	}
}
