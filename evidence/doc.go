// Package evidence finds where a tree's memory is, by kind, and keeps what a
// person needs to find a leak from a live tree before anything is killed:
// each member's own account of its memory and what it is waiting on, the
// cgroup's, and the breakdown. It only reads the tree, and writes files.
//
// A breakdown walks each process's page tables under its mmap lock
// (/proc/PID/smaps: about 8 ms for a 300 MB process), so it is taken at
// chosen moments for the largest members, never at every sample.
package evidence
