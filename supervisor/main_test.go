package supervisor

import (
	"os"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

func TestMain(m *testing.M) {
	GuardMain()
	testproc.Main()
	// Guards are this test binary too: no race-detector second at exit.
	os.Setenv("GORACE", "atexit_sleep_ms=0")
	os.Exit(m.Run())
}
