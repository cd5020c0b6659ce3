package proc

// Table lists the process table again and again, as a sampler and a stop
// loop do. Where the platform allows, it keeps what it opened for one
// listing to make the next one cheaper (see table_linux.go), so it holds
// resources until Close. A Table is not safe for concurrent use.
type Table struct{ t *table }

// NewTable returns an empty Table.
func NewTable() *Table { return &Table{t: newTable()} }

// List reads every process visible to the caller, as List does.
func (t *Table) List() ([]Process, error) { return t.t.list() }

// Close releases what the table keeps open. A closed Table still lists,
// at the price of List.
func (t *Table) Close() error { return t.t.close() }
