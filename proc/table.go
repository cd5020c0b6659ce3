package proc

import (
	"errors"
	"fmt"
)

// Table lists the process table again and again, as a sampler and a stop
// loop do. Where the platform allows, it keeps what it opened for one
// listing to make the next one cheaper (see table_linux.go), so it holds
// resources until Close. A Table is not safe for concurrent use.
type Table struct{ t *table }

// NewTable returns an empty Table.
func NewTable() *Table { return &Table{t: newTable()} }

// List reads every process visible to the caller, as List does. Where
// some could not be read for want of file descriptors, it returns those it
// read with an *IncompleteError.
func (t *Table) List() ([]Process, error) { return t.t.list() }

// Read reads just the processes pids (those still there), as List reads
// each: for a tree whose members another source names (a cgroup's
// cgroup.procs), at the cost of the tree, not of every process on the
// host. Files kept for processes it does not read are let go. Like List,
// it returns what it read with an *IncompleteError where descriptors ran
// short.
func (t *Table) Read(pids []int) ([]Process, error) { return t.t.read(pids) }

// KeepOnly has the listings that follow (List) keep files for the
// processes pids alone, reading every other process without keeping any,
// and lets go of what it keeps for others now. A listing of the whole host
// for the sake of one tree (its members found by their parent links) then
// spends the descriptor budget on the tree, not on whatever else the host
// runs. Read keeps files for the pids it is given whatever KeepOnly said:
// they are the ones asked for. Nil keeps files for every process again.
func (t *Table) KeepOnly(pids []int) { t.t.keepOnly(pids) }

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

// IncompleteError comes with a listing that left processes out because
// they could not be read for want of file descriptors (EMFILE, ENFILE):
// the listing holds the rest, and is smaller than the table.
type IncompleteError struct {
	Unread int   // processes not read
	Err    error // the first failure
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("%d process(es) not read: %v", e.Unread, e.Err)
}

func (e *IncompleteError) Unwrap() error { return e.Err }

// Unread says how many processes a listing that returned err left out: 0
// for a complete one.
func Unread(err error) int {
	if ie, ok := errors.AsType[*IncompleteError](err); ok {
		return max(ie.Unread, 1)
	}
	return 0
}

// unread counts processes a listing could not read.
type unread struct{ IncompleteError }

func (u *unread) add(err error) {
	if u.Unread == 0 {
		u.Err = err
	}
	u.Unread++
}

// result is the listing with its error, if it is incomplete.
func (u *unread) result(out []Process) ([]Process, error) {
	if u.Unread == 0 {
		return out, nil
	}
	e := u.IncompleteError
	return out, &e
}
