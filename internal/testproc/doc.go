// Package testproc turns a test binary into the child, grandchild or daemon
// a test needs, as os/exec's own tests do: the test re-executes its binary
// with a role in the environment, and TestMain hands control to Main.
// Every process announces itself with a "ready <role> <pid>" line on
// stdout, so tests synchronise on readiness instead of sleeping.
package testproc
