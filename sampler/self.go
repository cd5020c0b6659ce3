package sampler

import "time"

// Self is what soakrun itself used: the cost of watching.
type Self struct {
	CPU          time.Duration // user + system time of the soakrun process
	PeakRSSBytes uint64        // its peak resident set
}

// SelfUsage reads soakrun's own CPU time and peak resident memory.
func SelfUsage() (Self, error) { return selfUsage() }
