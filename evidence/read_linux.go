package evidence

import (
	"fmt"
	"os"
	"strconv"

	"github.com/soakrun/soakrun/proc"
)

// readProcess reads m's smaps, and checks that m still owns its pid.
func readProcess(m proc.Process) (Process, error) {
	path := "/proc/" + strconv.Itoa(m.PID) + "/smaps"
	b, err := os.ReadFile(path)
	if err != nil {
		return Process{}, fmt.Errorf("read %s: %w", path, err)
	}
	if now, err := proc.Get(m.PID); err != nil || now.Start != m.Start {
		return Process{}, fmt.Errorf("pid %d: %w", m.PID, proc.ErrNotFound)
	}
	p, err := ParseSmaps(b)
	if err != nil {
		return Process{}, fmt.Errorf("parse %s: %w", path, err)
	}
	p.PID, p.Start, p.Name = m.PID, m.Start, m.Name
	return p, nil
}
