package main

import (
	"os"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/supervisor"
)

// envAsSoakrun makes the test binary act as the soakrun command itself, so
// each end-to-end test supervises in a process of its own, as users run it.
const envAsSoakrun = "SOAKRUN_TEST_AS_SOAKRUN"

func TestMain(m *testing.M) {
	supervisor.GuardMain()
	if os.Getenv(envAsSoakrun) == "1" {
		os.Unsetenv(envAsSoakrun)
		os.Exit(run(os.Args, stopChannel()))
	}
	testproc.Main()
	// Guards are this test binary too: no race-detector second at exit.
	os.Setenv("GORACE", "atexit_sleep_ms=0")
	os.Exit(m.Run())
}
