// Command helper plays one of the test roles of internal/testproc, named
// in SOAKRUN_TESTPROC: the target of the Windows end-to-end run under Wine,
// where no test binary supervises itself.
package main

import (
	"fmt"
	"os"

	"github.com/soakrun/soakrun/internal/testproc"
)

func main() {
	testproc.Main()
	fmt.Fprintln(os.Stderr, "helper: set "+testproc.EnvRole+" to a role")
	os.Exit(2)
}
