// Package sampler reads the supervised tree and the host at an interval
// into snapshots, and hands each to the stream's sinks (see Pipeline). It
// only reads: what a snapshot holds, and how it is written, is package
// samples'.
package sampler
