package evidence

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/soakrun/soakrun/cgroup"
	"github.com/soakrun/soakrun/proc"
)

// Take writes the evidence of one moment into dir (made if missing): the
// breakdown (breakdown.json), a line for each live member (members.tsv:
// pid, parent, group, state, resident memory, what it waits in), each of
// the largest members' own files (PID/status, smaps_rollup, the kernel
// stack where soakrun may read it) with its largest mappings
// (PID/mappings.txt), and the cgroup's memory.stat. It returns the
// breakdown; what could not be read is left out, and the error joins what
// could not be written.
func Take(dir string, members []proc.Process, cg cgroup.Paths) (Breakdown, error) {
	b := Measure(members, cg, Largest)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return b, fmt.Errorf("evidence: %w", err)
	}
	var errs []error
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			errs = append(errs, fmt.Errorf("evidence: %w", err))
		}
	}
	js, _ := json.MarshalIndent(b, "", "  ")
	write("breakdown.json", append(js, '\n'))
	var tsv strings.Builder
	tsv.WriteString("pid\tppid\tpgid\tstate\trss_kb\twchan\tname\n")
	for _, m := range members {
		if m.Zombie {
			continue
		}
		fmt.Fprintf(&tsv, "%d\t%d\t%d\t%s\t%d\t%s\t%s\n", m.PID, m.PPID, m.PGID, m.Status, m.RSSBytes>>10, waitChannel(m.PID), m.Name)
	}
	write("members.tsv", []byte(tsv.String()))
	for _, p := range b.Processes {
		sub := strconv.Itoa(p.PID)
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		for name, data := range ownFiles(p.PID) {
			write(filepath.Join(sub, name), data)
		}
		var maps strings.Builder
		fmt.Fprintf(&maps, "%s (pid %d): the largest mappings by resident memory\n", p.Name, p.PID)
		for _, m := range p.Largest {
			name := m.Name
			if name == "" {
				name = "(anonymous)"
			}
			fmt.Fprintf(&maps, "%10.1f MB  %-20s %s\n", float64(m.RSSBytes)/(1<<20), m.Kind.Words(), name)
		}
		write(filepath.Join(sub, "mappings.txt"), []byte(maps.String()))
	}
	for _, d := range []string{cg.Unified, cg.Memory} {
		if d == "" {
			continue
		}
		if data, err := os.ReadFile(filepath.Join(d, "memory.stat")); err == nil {
			write("memory.stat", data)
			break
		}
	}
	return b, errors.Join(errs...)
}
