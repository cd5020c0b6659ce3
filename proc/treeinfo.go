package proc

import "fmt"

// Ref names a process in tree listings.
type Ref struct {
	PID    int    `json:"pid"`
	PPID   int    `json:"ppid"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// TreeInfo is a process and all its descendants, as `soakrun ps` prints it.
type TreeInfo struct {
	Ref
	Parent     *Ref  `json:"parent"`
	Children   []Ref `json:"children"`    // every descendant, parents first
	TotalCount int   `json:"total_count"` // the process and its descendants
}

func ref(p Process) Ref { return Ref{PID: p.PID, PPID: p.PPID, Name: p.Name, Status: p.Status} }

// Tree describes pid and its descendants.
func Tree(pid int) (TreeInfo, error) {
	all, err := List()
	if err != nil {
		return TreeInfo{}, err
	}
	var info TreeInfo
	found := false
	for _, p := range all {
		if p.PID == pid {
			info.Ref, found = ref(p), true
		}
	}
	if !found {
		return TreeInfo{}, fmt.Errorf("pid %d: %w", pid, ErrNotFound)
	}
	for _, p := range all {
		if p.PID == info.PPID && p.PID != pid {
			r := ref(p)
			info.Parent = &r
		}
	}
	info.Children = []Ref{}
	for _, d := range Descendants(all, pid) {
		info.Children = append(info.Children, ref(d))
	}
	info.TotalCount = 1 + len(info.Children)
	return info, nil
}

// Zombies lists the processes that have exited but were not reaped, with
// their parents: the ones to blame.
func Zombies() ([]TreeInfo, error) {
	all, err := List()
	if err != nil {
		return nil, err
	}
	byPID := make(map[int]Process, len(all))
	for _, p := range all {
		byPID[p.PID] = p
	}
	out := []TreeInfo{}
	for _, p := range all {
		if !p.Zombie {
			continue
		}
		z := TreeInfo{Ref: ref(p), Children: []Ref{}, TotalCount: 1}
		if parent, ok := byPID[p.PPID]; ok {
			r := ref(parent)
			z.Parent = &r
		}
		out = append(out, z)
	}
	return out, nil
}
