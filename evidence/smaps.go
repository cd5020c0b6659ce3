package evidence

import (
	"bufio"
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// largestKept is how many of a process's largest mappings a breakdown
// keeps.
const largestKept = 10

// ParseSmaps reads the contents of /proc/PID/smaps (see proc(5)) into
// where the process's resident memory is, by kind. Mappings of one file
// (a library's text, data and bss) are added up as one.
func ParseSmaps(b []byte) (Process, error) {
	p := Process{Bytes: map[Kind]uint64{}}
	byName := map[string]*Mapping{}
	var cur *Mapping
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if isMappingHeader(line) {
			name := mappingName(line)
			kind := kindOf(name)
			key := name
			if kind == Anon {
				key = "" // all anonymous mappings are one
			}
			if cur = byName[key]; cur == nil {
				cur = &Mapping{Name: key, Kind: kind}
				byName[key] = cur
			}
			continue
		}
		if cur == nil || !bytes.HasPrefix(line, []byte("Rss:")) {
			continue
		}
		kb, err := strconv.ParseUint(string(bytes.Fields(line[len("Rss:"):])[0]), 10, 64)
		if err != nil {
			return Process{}, err
		}
		cur.RSSBytes += kb << 10
		p.Bytes[cur.Kind] += kb << 10
	}
	if err := sc.Err(); err != nil {
		return Process{}, err
	}
	for _, m := range byName {
		if m.RSSBytes > 0 {
			p.Largest = append(p.Largest, *m)
		}
	}
	slices.SortFunc(p.Largest, func(a, b Mapping) int {
		return cmp.Or(cmp.Compare(b.RSSBytes, a.RSSBytes), strings.Compare(a.Name, b.Name))
	})
	if len(p.Largest) > largestKept {
		p.Largest = p.Largest[:largestKept]
	}
	return p, nil
}

// isMappingHeader tells a mapping's first line ("7f1c2a000000-7f1c2a021000
// rw-p ...") from its "Key: value" lines.
func isMappingHeader(line []byte) bool {
	dash := bytes.IndexByte(line, '-')
	space := bytes.IndexByte(line, ' ')
	return dash > 0 && space > dash && !bytes.Contains(line[:space], []byte(":"))
}

// mappingName is the header's pathname field: what follows the five fixed
// fields, which may hold spaces.
func mappingName(line []byte) string {
	rest := line
	for range 5 {
		rest = bytes.TrimLeft(rest, " ")
		i := bytes.IndexByte(rest, ' ')
		if i < 0 {
			return ""
		}
		rest = rest[i:]
	}
	return string(bytes.TrimSpace(rest))
}

// kindOf classifies a mapping by its name.
func kindOf(name string) Kind {
	switch {
	case name == "" || strings.HasPrefix(name, "[anon:"):
		return Anon
	case name == "[heap]":
		return Heap
	case name == "[stack]" || strings.HasPrefix(name, "[stack:"):
		return Stack
	case strings.HasPrefix(name, "/dev/shm/") || strings.HasPrefix(name, "/memfd:") || strings.HasPrefix(name, "/SYSV") || strings.HasPrefix(name, "[anon_shmem"):
		return Shared
	case strings.HasPrefix(name, "/"):
		return File
	}
	return Other
}
