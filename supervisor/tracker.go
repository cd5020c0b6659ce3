package supervisor

import "github.com/soakrun/soakrun/proc"

// tracker follows one process tree across listings of the process table:
// the descendants of root, the members of process group pgid, and every
// member seen before that still lives under the same identity, so a member
// reparented away between two listings is not lost.
type tracker struct {
	root        proc.Identity
	includeRoot bool
	pgid        int // 0: no group to follow
	seen        map[proc.Identity]bool
	// groupGone is set once the group was seen empty: its id may then be
	// recycled by a stranger, so it no longer marks members.
	groupGone bool
	// others are children the root had before the command started: with
	// their descendants, they are not the tree (see leaveAlone).
	others map[proc.Identity]bool
}

func newTracker(root proc.Identity, includeRoot bool, pgid int) *tracker {
	return &tracker{root: root, includeRoot: includeRoot, pgid: pgid, seen: map[proc.Identity]bool{}}
}

// members picks the tree out of a listing, zombies included. complete says
// the listing holds every process: from one that does not, a member or the
// group missing is no sign that it is gone.
func (t *tracker) members(all []proc.Process, complete bool) []proc.Process {
	var out []proc.Process
	in := make(map[proc.Identity]bool, len(t.seen)+8)
	add := func(p proc.Process) {
		if !in[p.Identity] {
			in[p.Identity] = true
			out = append(out, p)
		}
	}
	// Without the root itself in the listing its pid may already name a
	// stranger, whose children are not ours; its orphans are still followed
	// as seen members.
	rootHere := !t.includeRoot
	groupSeen := false
	for _, p := range all {
		if t.includeRoot && p.Identity == t.root {
			add(p)
			rootHere = true
		}
		inGroup := t.pgid != 0 && p.PGID == t.pgid
		groupSeen = groupSeen || inGroup
		if (inGroup && !t.groupGone) || t.seen[p.Identity] {
			add(p)
		}
	}
	if rootHere {
		outside := outsideTree(all, t.root.PID, t.others)
		for _, p := range proc.Descendants(all, t.root.PID) {
			if !outside[p.Identity] {
				add(p)
			}
		}
	}
	if !groupSeen && complete {
		t.groupGone = true
	}
	if !complete {
		// Members the listing could not read are still followed.
		for id := range t.seen {
			in[id] = true
		}
	}
	t.seen = in
	return out
}

// outsideTree lists the children of parent in all that are in known (the
// program's own, see leaveAlone), with their descendants: not the tree.
func outsideTree(all []proc.Process, parent int, known map[proc.Identity]bool) map[proc.Identity]bool {
	if len(known) == 0 {
		return nil
	}
	var roots []int
	out := map[proc.Identity]bool{}
	for _, p := range all {
		if known[p.Identity] && p.PPID == parent {
			roots = append(roots, p.PID)
			out[p.Identity] = true
		}
	}
	for _, p := range proc.Descendants(all, roots...) {
		out[p.Identity] = true
	}
	return out
}
