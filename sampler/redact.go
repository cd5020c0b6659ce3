package sampler

import (
	"regexp"
	"strings"
)

// secretName matches names whose values are secrets: --token, password,
// AWS_SECRET_ACCESS_KEY, api-key, client_secret, auth, credentials…
var secretName = regexp.MustCompile(`(?i)(token|passw(or)?d|pwd|secret|key|auth|credential|cookie|session)`)

// Redact joins a command line with the values of secret-looking arguments
// replaced by "***": NAME=VALUE and --name=VALUE where the name looks
// secret, and the argument after a bare secret-looking flag (--password
// VALUE).
func Redact(args []string) string {
	out := make([]string, len(args))
	hideNext := false
	for i, a := range args {
		switch name, _, hasValue := strings.Cut(a, "="); {
		case hideNext && !strings.HasPrefix(a, "-"):
			out[i], hideNext = "***", false
		case hasValue && secretName.MatchString(name):
			out[i], hideNext = name+"=***", false
		default:
			hideNext = strings.HasPrefix(a, "-") && secretName.MatchString(a)
			out[i] = a
		}
	}
	return strings.Join(out, " ")
}
