package fdbudget

// openFileLimit is 0 on Windows: handles have no per-process limit that a
// tree's size approaches, and nothing there keeps a file per member.
func openFileLimit() int { return 0 }
