// Package winjob holds the Windows mechanism under soakrun's supervisor: a
// Job Object that keeps a command's whole process tree together and ends
// it, and the console control events that ask the tree to stop first. A job
// created here kills every member when its last handle closes, so the tree
// dies with soakrun even when soakrun is killed.
package winjob
