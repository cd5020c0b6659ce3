// Package winjob holds a Windows Job Object: the mechanism that keeps a
// command's whole process tree together and ends it. A job created here
// kills every member when its last handle closes, so the tree dies with
// soakrun even when soakrun is killed.
package winjob
