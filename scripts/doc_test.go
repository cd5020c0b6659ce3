// Package scripts tests the shell scripts beside it the way their callers
// run them: the release script as the release task does, the action's
// script with the environment a GitHub runner gives it; and that a
// `go install …@version` build knows its version.
package scripts
