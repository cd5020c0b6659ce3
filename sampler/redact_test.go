package sampler

import "testing"

func TestRedact(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"python", "bot.py", "--token=abc123", "--symbol=BTC"}, "python bot.py --token=*** --symbol=BTC"},
		{[]string{"run", "password=hunter2", "user=me"}, "run password=*** user=me"},
		{[]string{"env", "AWS_SECRET_ACCESS_KEY=xyz", "EXCHANGE_API_KEY=k", "PATH=/bin"}, "env AWS_SECRET_ACCESS_KEY=*** EXCHANGE_API_KEY=*** PATH=/bin"},
		{[]string{"app", "--password", "hunter2", "--port", "80"}, "app --password *** --port 80"},
		{[]string{"app", "--api-key", "--verbose"}, "app --api-key --verbose"},
		{[]string{"sleep", "10"}, "sleep 10"},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
