package supervisor_test

import (
	"fmt"
	"os"
	"time"

	"github.com/soakrun/soakrun/internal/testproc"
	"github.com/soakrun/soakrun/supervisor"
)

// Supervising a command: set the fields, Start, Wait. Here the command is
// this test binary playing a program that exits with status 3; in a soak it
// is the test itself, such as {"python", "full_stack_validate.py"}.
func ExampleSupervisor() {
	s := supervisor.Supervisor{
		Args:    []string{os.Args[0]},
		Env:     testproc.Env("exit", "3"),
		Timeout: time.Hour,
	}
	if err := s.Start(); err != nil {
		fmt.Println(err)
		return
	}
	res, err := s.Wait()
	if err != nil {
		fmt.Println(err) // the tree could not be emptied
	}
	fmt.Printf("status %d, timed out %v, exit code %d\n", res.ExitStatus, res.TimedOut, res.ExitCode(false))
	// Output: status 3, timed out false, exit code 3
}

// A timeout stops the whole tree: the first signal, the grace, then the
// kill of every member left. The exit code is GNU timeout's 124.
func ExampleSupervisor_timeout() {
	s := supervisor.Supervisor{
		Args:      []string{os.Args[0]},
		Env:       testproc.Env("sleep", "1h"),
		Timeout:   200 * time.Millisecond,
		KillAfter: time.Second,
	}
	if err := s.Start(); err != nil {
		fmt.Println(err)
		return
	}
	res, _ := s.Wait()
	fmt.Printf("timed out %v, exit code %d, leftovers %d\n", res.TimedOut, res.ExitCode(false), len(res.Leftovers))
	// Output: timed out true, exit code 124, leftovers 0
}
