// Package fdbudget bounds the files soakrun keeps open to read its tree
// again cheaply, so that a tree of any size cannot use up the descriptors
// that the stop, the output and the reads themselves need. It opens nothing
// itself: readers ask it before they keep a file, and tell it when a read
// failed for want of a descriptor.
package fdbudget
