// Package samples owns the sample stream: the Snapshot schema, its JSONL
// form on disk (a crash-safe writer and a fast reader whose field table is
// derived from the schema's own tags), and Sink, the one method every
// consumer of snapshots implements, live or reading a file back. It takes no
// samples itself (package sampler does) and judges nothing (package report
// does).
package samples
