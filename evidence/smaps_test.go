package evidence

import (
	"testing"
)

const smapsSample = `55d4c8a00000-55d4c8a02000 r--p 00000000 08:01 1311 /usr/bin/python3.11
Size:                  8 kB
Rss:                   8 kB
Pss:                   8 kB
55d4c8a02000-55d4c8b00000 r-xp 00002000 08:01 1311 /usr/bin/python3.11
Rss:                 900 kB
55d4c9e00000-55d4ca100000 rw-p 00000000 00:00 0 [heap]
Rss:                3072 kB
VmFlags: rd wr mr mw me ac
7f1c20000000-7f1c28000000 rw-p 00000000 00:00 0 
Rss:              131072 kB
7f1c28000000-7f1c29000000 rw-s 00000000 00:19 77 /dev/shm/ring buffer (deleted)
Rss:                4096 kB
7f1c29000000-7f1c29100000 rw-s 00000000 00:01 88 /memfd:jit (deleted)
Rss:                1024 kB
7f1c2a000000-7f1c2a100000 rw-p 00000000 00:00 0 
Rss:                1024 kB
7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0 [stack]
Rss:                  40 kB
7ffd1c1f0000-7ffd1c1f2000 r-xp 00000000 00:00 0 [vdso]
Rss:                   4 kB
`

func TestParseSmapsSortsMemoryByKind(t *testing.T) {
	p, err := ParseSmaps([]byte(smapsSample))
	if err != nil {
		t.Fatal(err)
	}
	want := map[Kind]uint64{Anon: (131072 + 1024) << 10, Heap: 3072 << 10, Shared: (4096 + 1024) << 10, File: 908 << 10, Stack: 40 << 10, Other: 4 << 10}
	for k, b := range want {
		if p.Bytes[k] != b {
			t.Errorf("%s: %d bytes, want %d", k, p.Bytes[k], b)
		}
	}
	if p.Total() != (131072+1024+3072+4096+1024+908+40+4)<<10 {
		t.Errorf("total %d: the kinds do not add up to the resident set", p.Total())
	}
	if len(p.Largest) < 3 || p.Largest[0].Kind != Anon || p.Largest[1].Name != "/dev/shm/ring buffer (deleted)" || p.Largest[2].Name != "[heap]" {
		t.Errorf("largest %+v", p.Largest)
	}
}

func TestGrowthSaysWhatGrewLargestFirst(t *testing.T) {
	was := Process{PID: 812, Name: "python3", Bytes: map[Kind]uint64{Anon: 100 << 20, Heap: 10 << 20, File: 30 << 20}}
	now := Process{PID: 812, Name: "python3", Bytes: map[Kind]uint64{Anon: 568 << 20, Heap: 22 << 20, File: 30<<20 + 1000}}
	g := Grew(was, now)
	if s := g.String(); s != "python3 (pid 812): anonymous mappings +468 MB, [heap] +12 MB" {
		t.Errorf("%q", s)
	}
	if g.Total() != 480<<20+1000 {
		t.Errorf("total %v", g.Total())
	}
	if s := CgroupGrew(&Cgroup{Bytes: map[string]uint64{"anon": 10 << 20, "file": 5 << 20}}, &Cgroup{Bytes: map[string]uint64{"anon": 480 << 20, "file": 5 << 20, "shmem": 2 << 20}}); s != "anon +470 MB, shmem +2 MB" {
		t.Errorf("cgroup %q", s)
	}
}
