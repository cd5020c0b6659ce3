//go:build linux || darwin

package supervisor

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/soakrun/soakrun/proc"
)

// guardPipe returns a guard writing into a pipe, and a reader of what it
// wrote since the last call, as PID/START/PGID words.
func guardPipe(t *testing.T) (*guard, func() []string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	// Fd puts a file in blocking mode: take each descriptor once.
	rfd, wfd := int(r.Fd()), int(w.Fd())
	for _, fd := range []int{rfd, wfd} {
		if err := syscall.SetNonblock(fd, true); err != nil {
			t.Fatal(err)
		}
	}
	read := func() []string {
		var out []byte
		buf := make([]byte, 1<<16)
		for {
			n, err := syscall.Read(rfd, buf)
			if n <= 0 || err != nil {
				break
			}
			out = append(out, buf[:n]...)
		}
		if string(out) == "\n" {
			return []string{"heartbeat"}
		}
		return strings.Fields(strings.ReplaceAll(string(out), " ", "/"))
	}
	return &guard{pipe: w, fd: wfd}, read
}

func member(pid int, start uint64, zombie bool) proc.Process {
	return proc.Process{Identity: proc.Identity{PID: pid, Start: start}, PGID: 7, Zombie: zombie}
}

func TestGuardIsToldOnlyNews(t *testing.T) {
	g, read := guardPipe(t)
	a, b, c := member(10, 1, false), member(11, 1, false), member(12, 1, false)

	g.tell([]proc.Process{a, b, member(13, 1, true)})
	if got := read(); strings.Join(got, " ") != "10/1/7 11/1/7" {
		t.Fatalf("first listing told %q, want both live members and no zombie", got)
	}
	g.tell([]proc.Process{a, b})
	if got := read(); len(got) != 1 || got[0] != "heartbeat" {
		t.Fatalf("an unchanged tree told %q, want only an empty line", got)
	}
	// 11 is gone and its pid is another process's now.
	g.tell([]proc.Process{a, c, member(11, 2, false)})
	if got := read(); strings.Join(got, " ") != "12/1/7 11/2/7" {
		t.Fatalf("told %q, want the two new members", got)
	}
	if len(g.told) != 3 {
		t.Errorf("remembers %d members, want the 3 of the last listing", len(g.told))
	}
}

func TestGuardIsToldAgainWhatAFullPipeDropped(t *testing.T) {
	g, read := guardPipe(t)
	// Fill the pipe until a write would block.
	filler := make([]byte, 4096)
	for {
		if _, err := syscall.Write(g.fd, filler); err != nil {
			break
		}
	}
	var many []proc.Process
	for pid := range 2000 { // more than one PIPE_BUF of lines
		many = append(many, member(1000+pid, 5, false))
	}
	g.tell(many)
	if len(g.told) != 0 {
		t.Fatalf("%d members counted as told into a full pipe", len(g.told))
	}
	read() // the guard catches up
	g.tell(many)
	got := read()
	if len(got) != len(many) || got[0] != "1000/5/7" || got[len(got)-1] != "2999/5/7" {
		t.Fatalf("told %d lines (%q…), want all %d members again", len(got), got[:min(len(got), 2)], len(many))
	}
}

func TestGuardForgetsTheDead(t *testing.T) {
	owner := proc.Identity{PID: 100, Start: 1}
	m := &guardMemory{owner: owner, self: 101, seen: map[proc.Identity]int{}}
	soakrun := proc.Process{Identity: owner, PPID: 1}
	guard := proc.Process{Identity: proc.Identity{PID: 101, Start: 2}, PPID: 100}
	child := proc.Process{Identity: proc.Identity{PID: 102, Start: 3}, PPID: 100, PGID: 102}
	grandchild := proc.Process{Identity: proc.Identity{PID: 103, Start: 4}, PPID: 102, PGID: 102}
	stranger := proc.Process{Identity: proc.Identity{PID: 104, Start: 5}, PPID: 1, PGID: 104}

	m.learn([]proc.Process{soakrun, guard, child, grandchild, stranger})
	if len(m.seen) != 2 || m.seen[child.Identity] != 102 || m.seen[grandchild.Identity] != 102 {
		t.Fatalf("after the first listing the guard knows %v, want the child and grandchild", m.seen)
	}
	// soakrun tells of an escaped process the guard's listing cannot place.
	escaped := proc.Process{Identity: proc.Identity{PID: 105, Start: 6}, PGID: 105}
	m.hear(guardNews{escaped})
	m.learn([]proc.Process{soakrun, guard, child, stranger, {Identity: escaped.Identity, PPID: 1, PGID: 105}})
	if len(m.seen) != 2 || m.seen[escaped.Identity] != 105 {
		t.Fatalf("after the grandchild died the guard knows %v, want the child and the escaped process", m.seen)
	}
	m.learn([]proc.Process{soakrun, guard, stranger})
	if len(m.seen) != 0 {
		t.Errorf("with the whole tree gone the guard still knows %v", m.seen)
	}
}
