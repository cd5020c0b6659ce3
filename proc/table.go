package proc

import "errors"

// Table lists the process table again and again, as a sampler and a stop
// loop do. Where the platform allows, it keeps what it opened for one
// listing to make the next one cheaper (see table_linux.go), so it holds
// resources until Close. A Table is not safe for concurrent use.
type Table struct{ t *table }

// NewTable returns an empty Table.
func NewTable() *Table { return &Table{t: newTable()} }

// List reads every process visible to the caller, as List does.
func (t *Table) List() ([]Process, error) { return t.t.list() }

// Read reads just the processes pids (those still there), as List reads
// each: for a tree whose members another source names (a cgroup's
// cgroup.procs), at the cost of the tree, not of every process on the
// host. Files kept for processes it does not read are let go.
func (t *Table) Read(pids []int) ([]Process, error) { return t.t.read(pids) }

// Close releases what the table keeps open. A closed Table still lists,
// at the price of List.
func (t *Table) Close() error { return t.t.close() }

// getEach reads pids one by one, leaving out those that are gone.
func getEach(pids []int) ([]Process, error) {
	out := make([]Process, 0, len(pids))
	for _, pid := range pids {
		p, err := get(pid)
		if errors.Is(err, ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
