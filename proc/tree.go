package proc

// Descendants returns the processes in procs that descend from the roots
// through parent links, the roots themselves excluded. The order is breadth
// first, so parents come before their children.
func Descendants(procs []Process, roots ...int) []Process {
	// Children as linked lists through the listing: first child per
	// parent, then each child's next sibling.
	first := make(map[int]int, len(procs))
	next := make([]int, len(procs))
	for i := len(procs) - 1; i >= 0; i-- {
		p := procs[i]
		next[i] = -1
		if p.PID == p.PPID { // pid 0 on some systems is its own parent
			continue
		}
		if j, ok := first[p.PPID]; ok {
			next[i] = j
		}
		first[p.PPID] = i
	}
	seen := make(map[int]bool, len(roots))
	for _, r := range roots {
		seen[r] = true
	}
	var out []Process
	queue := append([]int(nil), roots...)
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		j, ok := first[pid]
		for ; ok && j >= 0; j = next[j] {
			c := procs[j].PID
			if seen[c] {
				continue
			}
			seen[c] = true
			out = append(out, procs[j])
			queue = append(queue, c)
		}
	}
	return out
}
