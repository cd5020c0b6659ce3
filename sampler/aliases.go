package sampler

import "github.com/soakrun/soakrun/samples"

// The stream's schema moved to package samples; these names remain while
// callers move.
type (
	// Deprecated: use samples.Snapshot.
	Snapshot = samples.Snapshot
	// Deprecated: use samples.Member.
	Member = samples.Member
)

// Deprecated: use the samples constants.
const (
	KindStart    = samples.KindStart
	KindInterval = samples.KindInterval
	KindExit     = samples.KindExit
	KindStopping = samples.KindStopping
)
