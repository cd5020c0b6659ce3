package sampler

// maxrssUnit is getrusage's ru_maxrss unit: kilobytes on Linux.
const maxrssUnit = 1024
