package proc

import (
	"slices"
	"testing"
)

func TestDescendants(t *testing.T) {
	procs := []Process{
		{Identity: Identity{PID: 1}, PPID: 0},
		{Identity: Identity{PID: 10}, PPID: 1},
		{Identity: Identity{PID: 11}, PPID: 10},
		{Identity: Identity{PID: 12}, PPID: 11},
		{Identity: Identity{PID: 20}, PPID: 1},
		{Identity: Identity{PID: 13}, PPID: 10},
	}
	var got []int
	for _, p := range Descendants(procs, 10) {
		got = append(got, p.PID)
	}
	if !slices.Equal(got, []int{11, 13, 12}) {
		t.Errorf("descendants of 10: %v, want [11 13 12] (breadth first)", got)
	}
	if d := Descendants(procs, 12); len(d) != 0 {
		t.Errorf("a leaf has descendants: %v", d)
	}
}

func TestDescendantsOfSeveralRoots(t *testing.T) {
	procs := []Process{
		{Identity: Identity{PID: 0}, PPID: 0}, // its own parent
		{Identity: Identity{PID: 10}, PPID: 1},
		{Identity: Identity{PID: 11}, PPID: 10},
		{Identity: Identity{PID: 20}, PPID: 1},
		{Identity: Identity{PID: 21}, PPID: 20},
		{Identity: Identity{PID: 22}, PPID: 21},
		{Identity: Identity{PID: 30}, PPID: 1},
	}
	var got []int
	for _, p := range Descendants(procs, 10, 20, 21) {
		got = append(got, p.PID)
	}
	// 21 is a root: it is not listed again as 20's child.
	if !slices.Equal(got, []int{11, 22}) {
		t.Errorf("descendants of 10, 20 and 21: %v, want [11 22]", got)
	}
	if d := Descendants(procs, 0); len(d) != 0 {
		t.Errorf("a process that is its own parent has descendants: %v", d)
	}
}
