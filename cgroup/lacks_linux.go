package cgroup

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A run's v2 cgroup has a controller only where every cgroup above it
// passes that controller down. Where one is missing, the verdict falls back
// from the kernel's figures to the members' sums, so the containment line
// says which are missing and why, in the words a user can act on.

// lacking says, for each controller of passDown that the run's cgroup run
// does not have, why: h is soakrun's own cgroup in the v2 hierarchy, moved
// says whether soakrun moved to a leaf of its own to pass controllers
// down, and enabled the controllers it could enable there.
func lacking(h hierarchy, run string, moved bool, enabled []string) map[string]string {
	have := fieldsOf(filepath.Join(run, "cgroup.controllers"))
	rootHas := fieldsOf(filepath.Join(h.mount, "cgroup.controllers"))
	offered := fieldsOf(filepath.Join(h.own, "cgroup.controllers"))
	passed := fieldsOf(filepath.Join(h.own, "cgroup.subtree_control"))
	isRoot := filepath.Clean(h.own) == filepath.Clean(h.mount)
	procs, _ := readPids(filepath.Join(h.own, "cgroup.procs"))
	others := len(slices.DeleteFunc(procs, func(pid int) bool { return pid == os.Getpid() }))
	out := map[string]string{}
	for _, c := range passDown {
		if slices.Contains(have, c) {
			continue
		}
		switch {
		case !slices.Contains(rootHas, c):
			out[c] = "not in the v2 hierarchy (bound to a v1 hierarchy, or not in the kernel)"
		case !slices.Contains(offered, c):
			out[c] = fmt.Sprintf("%s's parent does not pass it down", h.own)
		case isRoot && !slices.Contains(passed, c):
			out[c] = "the root cgroup does not pass it down, and soakrun leaves the root's cgroup.subtree_control to the host's manager"
		case others > 0 && !moved:
			out[c] = fmt.Sprintf("%s holds %d other process(es), so it cannot pass controllers down", h.own, others)
		case moved && !slices.Contains(enabled, c):
			out[c] = fmt.Sprintf("enabling it in %s/cgroup.subtree_control failed", h.own)
		default:
			out[c] = fmt.Sprintf("%s does not pass it down", h.own)
		}
	}
	return out
}

// describeLacks lays out what lacking found, reasons shared by several
// controllers said once: "memory+io: /sys/fs/cgroup/shared holds 2 other
// process(es), so it cannot pass controllers down".
func describeLacks(lacks map[string]string) string {
	var order []string
	by := map[string][]string{}
	for _, c := range passDown {
		why, ok := lacks[c]
		if !ok {
			continue
		}
		if by[why] == nil {
			order = append(order, why)
		}
		by[why] = append(by[why], c)
	}
	parts := make([]string, len(order))
	for i, why := range order {
		parts[i] = strings.Join(by[why], "+") + ": " + why
	}
	return strings.Join(parts, "; ")
}
