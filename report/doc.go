// Package report turns snapshots into files people and tools read: the JSONL
// series as it is sampled, and what is made from it after the run. It never
// touches processes.
package report
