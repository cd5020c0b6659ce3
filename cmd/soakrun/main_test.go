package main

import (
	"os"
	"strconv"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/supervisor"
)

// envAsSoakrun makes the test binary act as the soakrun command itself, so
// each end-to-end test supervises in a process of its own, as users run it.
// Its value is how many nested soakruns to be: 2 makes this soakrun's
// command a soakrun too.
const envAsSoakrun = "SOAKRUN_TEST_AS_SOAKRUN"

// envOpenFiles, where set, is the open-file limit (soft and hard) the test
// binary sets itself before it acts as soakrun, as `ulimit -n` would.
const envOpenFiles = "SOAKRUN_TEST_NOFILE"

func TestMain(m *testing.M) {
	supervisor.GuardMain()
	if n, _ := strconv.Atoi(os.Getenv(envAsSoakrun)); n > 0 {
		if n > 1 {
			os.Setenv(envAsSoakrun, strconv.Itoa(n-1))
		} else {
			os.Unsetenv(envAsSoakrun)
		}
		if n, _ := strconv.Atoi(os.Getenv(envOpenFiles)); n > 0 {
			setOpenFileLimit(n)
		}
		os.Exit(run(os.Args, supervisor.NotifySignals()))
	}
	testproc.Main()
	// Guards are this test binary too: no race-detector second at exit.
	os.Setenv("GORACE", "atexit_sleep_ms=0")
	os.Exit(m.Run())
}
