package sampler

// maxrssUnit is getrusage's ru_maxrss unit: bytes on macOS.
const maxrssUnit = 1
