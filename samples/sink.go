package samples

// Sink is anything that takes snapshots one at a time: the JSONL writer,
// the report's in-memory series, the metrics exporter, a progress line.
//
// The snapshot is lent for the call only: a reader reuses its storage for
// the next line, so a sink that keeps a snapshot copies what it keeps. Add
// runs on the sampling goroutine, where a slow sink delays the next sample,
// so it must not block. A sink that also implements io.Closer is closed by
// whoever owns the stream (sampler.Pipeline) once the last snapshot is in.
type Sink interface {
	Add(s *Snapshot)
}
