package cgroup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	sddbus "github.com/coreos/go-systemd/v22/dbus"
	godbus "github.com/godbus/dbus/v5"
)

// The systemd driver. Where systemd manages the host, a cgroup with
// controllers is systemd's to give, and it gives one as a transient scope
// with Delegate=yes: what `systemd-run --scope -p Delegate=yes` asks for.
// soakrun asks for a scope holding itself, waits for the job, and then
// makes the run's cgroup inside it as it does in its own cgroup (it is
// alone there: a leaf for itself, the controllers passed down, the run's
// cgroup beside the leaf). The scope needs no removal: systemd stops and
// collects it once its last process has left, soakrun at its exit or the
// guard after soakrun's death.

// systemdManaged reports whether systemd manages the host, as sd_booted(3)
// tells it.
func systemdManaged() bool {
	_, err := os.Stat("/run/systemd/system")
	return err == nil
}

// scopeWait bounds the whole exchange with systemd: connecting, the job,
// and its result.
const scopeWait = 20 * time.Second

// enterScope asks systemd for the transient scope unit, delegated to
// soakrun, with this process in it. As root it asks the system manager
// (over the system bus, else its private socket, which needs no D-Bus
// daemon); otherwise the user's own manager, over the user's bus.
func enterScope(unit, description string) error {
	ctx, cancel := context.WithTimeout(context.Background(), scopeWait)
	defer cancel()
	conn, err := managerConn(ctx)
	if err != nil {
		return fmt.Errorf("not reachable: %w", err)
	}
	defer conn.Close()
	props := []sddbus.Property{
		sddbus.PropDescription(description),
		sddbus.PropPids(uint32(os.Getpid())),
		{Name: "Delegate", Value: godbus.MakeVariant(true)},
		{Name: "CollectMode", Value: godbus.MakeVariant("inactive-or-failed")},
	}
	result := make(chan string, 1)
	if _, err := conn.StartTransientUnitContext(ctx, unit, "fail", props, result); err != nil {
		return fmt.Errorf("start %s: %w", unit, err)
	}
	select {
	case r := <-result:
		if r != "done" {
			return fmt.Errorf("start %s: the job ended %q", unit, r)
		}
	case <-ctx.Done():
		return fmt.Errorf("start %s: no answer in %v", unit, scopeWait)
	}
	self, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return fmt.Errorf("read own cgroup: %w", err)
	}
	if p := selfPaths(self)[""]; !strings.HasSuffix(p, "/"+unit) {
		return fmt.Errorf("%s started, but soakrun is in %s, not in it", unit, p)
	}
	return nil
}

// managerConn connects to the manager that would give this process a
// scope.
func managerConn(ctx context.Context) (*sddbus.Conn, error) {
	if os.Geteuid() == 0 {
		conn, err := sddbus.NewSystemConnectionContext(ctx)
		if err == nil {
			return conn, nil
		}
		conn, perr := sddbus.NewSystemdConnectionContext(ctx)
		if perr == nil {
			return conn, nil
		}
		return nil, fmt.Errorf("system bus: %w; /run/systemd/private: %w", err, perr)
	}
	addr := userBus()
	conn, err := sddbus.NewConnection(func() (*godbus.Conn, error) {
		c, err := godbus.Dial(addr, godbus.WithContext(ctx))
		if err != nil {
			return nil, err
		}
		auth := []godbus.Auth{godbus.AuthExternal(strconv.Itoa(os.Getuid()))}
		if err := c.Auth(auth); err != nil {
			return nil, errors.Join(err, c.Close())
		}
		if err := c.Hello(); err != nil {
			return nil, errors.Join(err, c.Close())
		}
		return c, nil
	})
	if err != nil {
		return nil, fmt.Errorf("user bus %s: %w", addr, err)
	}
	return conn, nil
}

// userBus is the address of the user's bus: the session's, else the one
// systemd's user manager serves in the user's runtime directory, which a
// step of a service with a lingering user has without a session.
func userBus() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return a
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = "/run/user/" + strconv.Itoa(os.Getuid())
	}
	return "unix:path=" + dir + "/bus"
}
