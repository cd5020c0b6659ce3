package supervisor

import (
	"errors"
	"syscall"

	"github.com/soakrun/soakrun/proc"
)

// errGone: the member exited before the signal reached it.
var errGone = errors.New("process is gone")

// errNotDelivered: the graceful stop reached no process (on Windows, no
// member had a console the event could be sent to), so there is no grace
// to wait for.
var errNotDelivered = errors.New("no stop event could be delivered")

// ErrNotOurs is returned when a pid now names a process other than the
// member it once named.
var ErrNotOurs = errors.New("pid now names another process")

// signalAll sends sig to each member that is still the process it was.
func signalAll(members []proc.Process, sig syscall.Signal) error {
	var errs []error
	for _, m := range members {
		if err := signalMember(m.Identity, sig); err != nil && !errors.Is(err, errGone) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SignalName names sig as this platform knows it ("SIGTERM").
func SignalName(sig syscall.Signal) string { return signalName(sig) }
