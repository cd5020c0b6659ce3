package proc

import (
	"os"
	"testing"
	"time"
)

func TestParseStatHostileName(t *testing.T) {
	line := "4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 1 0 0 0 250 150 0 0 20 0 3 0 123456 1000 512 18446744073709551615\n"
	p, err := ParseStat([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if p.PID != 4242 || p.Name != "a) b (c)" || p.PPID != 1 || p.PGID != 4242 || p.Start != 123456 || p.Threads != 3 {
		t.Errorf("parsed %+v", p)
	}
	if p.CPUTime != 4*time.Second || p.RSSBytes != 512*pageSize || p.Status != "sleeping" || p.Zombie {
		t.Errorf("usage %v rss %d status %s zombie %v", p.CPUTime, p.RSSBytes, p.Status, p.Zombie)
	}
	for _, bad := range []string{"", "12 (x", "12 (x) S 1", "x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22"} {
		if _, err := ParseStat([]byte(bad)); err == nil {
			t.Errorf("ParseStat(%q) accepted", bad)
		}
	}
}

func TestGetSelfAndMissing(t *testing.T) {
	p, err := Get(os.Getpid())
	if err != nil || p.PPID != os.Getppid() || !Alive(p.Identity) {
		t.Fatalf("self: %+v %v", p, err)
	}
	if Alive(Identity{PID: p.PID, Start: p.Start + 1}) {
		t.Error("an identity with another start time counts as alive")
	}
	if _, err := Get(1 << 30); err == nil {
		t.Error("Get of a pid that cannot exist succeeded")
	}
}

func TestNumberField(t *testing.T) {
	for _, c := range []struct {
		line string
		i    int
		want uint64
		ok   bool
	}{
		{"250055536 155421169 828\n", 0, 250055536, true},
		{"250055536 155421169 828\n", 2, 828, true},
		{"250055536 155421169 828\n", 3, 0, false},
		{"  12  34\n", 1, 34, true},
		{"12 x4 56", 1, 0, false},
		{"", 0, 0, false},
		{"99999999999999999999999", 0, 0, false},
	} {
		got, ok := NumberField([]byte(c.line), c.i)
		if got != c.want || ok != c.ok {
			t.Errorf("NumberField(%q, %d) = %d, %v; want %d, %v", c.line, c.i, got, ok, c.want, c.ok)
		}
	}
}
