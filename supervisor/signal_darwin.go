package supervisor

import (
	"syscall"

	"github.com/soakrun/soakrun/proc"
)

// signalMember sends sig to the process named by id after checking its
// start time; macOS has no pidfd, so a short window remains.
func signalMember(id proc.Identity, sig syscall.Signal) error {
	return signalChecked(id, sig)
}
