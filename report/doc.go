// Package report judges a run's snapshots and turns them into what people
// and tools read: the in-memory Series and its live trend while the run
// goes on, then the analysis, the HTML report and the job summary. It
// never touches processes; the JSONL stream itself is package samples'.
package report
