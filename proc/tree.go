package proc

// Descendants returns the processes in procs that descend from root through
// parent links, root itself excluded. The order is breadth first, so parents
// come before their children.
func Descendants(procs []Process, root int) []Process {
	children := make(map[int][]int, len(procs))
	byPID := make(map[int]int, len(procs))
	for i, p := range procs {
		byPID[p.PID] = i
		if p.PID != p.PPID { // pid 0 on some systems is its own parent
			children[p.PPID] = append(children[p.PPID], p.PID)
		}
	}
	var out []Process
	seen := map[int]bool{root: true}
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		for _, c := range children[pid] {
			if seen[c] {
				continue
			}
			seen[c] = true
			out = append(out, procs[byPID[c]])
			queue = append(queue, c)
		}
	}
	return out
}
