package soak

import (
	"os"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/supervisor"
)

func TestMain(m *testing.M) {
	supervisor.GuardMain()
	testproc.Main()
	// Guards are this test binary too: no race-detector second at exit.
	os.Setenv("GORACE", "atexit_sleep_ms=0")
	os.Exit(m.Run())
}
