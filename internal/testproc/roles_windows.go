package testproc

// osRole runs the roles only Windows has: none so far.
func osRole(role string, _ []string) int {
	fail("unknown role " + role)
	return 2
}
